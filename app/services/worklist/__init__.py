"""The council's worklist: what waits for the council, section by section, most urgent first."""
