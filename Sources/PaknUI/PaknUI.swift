// PaknUI
