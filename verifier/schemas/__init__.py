"""Pydantic models of requests and answers: the API's contract, also what the pages render."""
