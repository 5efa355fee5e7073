"""The pure core: numbers, text, knowledge, signals and the verdict. No I/O, no aiohttp, no asyncio, no database."""
