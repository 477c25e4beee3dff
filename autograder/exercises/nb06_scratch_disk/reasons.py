"""The reason codes of 06's checks (messages: reason.<code> and next.<code> in nb06.py)."""

from __future__ import annotations

TEMP_FILE_SHARED = "temp_file_shared"
STALE_COPY = "stale_copy"
LEFT_ON_DISK = "left_on_disk"
ERROR_HIDDEN = "error_hidden"
PARTIAL_RESULT = "partial_result"
RESULT_LOST = "result_lost"
