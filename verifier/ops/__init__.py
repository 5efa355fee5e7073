"""Operations: the command line, serving, settings, logs, metrics, backup, evidence import, crypto, screenshots."""
