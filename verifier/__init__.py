"""hotline-verifier: is this phone number really who it claims to be?"""

__version__ = "0.1.0"
