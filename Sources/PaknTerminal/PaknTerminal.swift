// PaknTerminal
