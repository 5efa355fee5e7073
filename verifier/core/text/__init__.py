"""Reading a pasted SMS or page: which digits are numbers, its links, its scam-script cues, and its verdict."""
