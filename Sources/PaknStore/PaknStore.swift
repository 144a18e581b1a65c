// PaknStore
