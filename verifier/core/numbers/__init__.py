"""Reading phone numbers: raw text to one canonical number, China's numbering plan, the one way to write a number."""
