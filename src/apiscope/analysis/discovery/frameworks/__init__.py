"""One module per framework family; each exposes `DISCOVERERS`."""
