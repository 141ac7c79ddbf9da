"""The network itself: its settings (name, languages, hotline number, time zone, code of
conduct) and its areas. Nearly every feature reads them, so this package sits on the bottom
floor: it imports no feature, and the admin pages are only where they are changed."""
