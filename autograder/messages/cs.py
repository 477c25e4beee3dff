"""Czech catalogue. Empty until the English notebooks are stable (see DESIGN §9);
missing keys fall back to English."""

MESSAGES: dict[str, str] = {}
