"""English messages of notebook 06-scratch-disk: titles, hints and the scratch checks' reasons.

Hints are shown without str.format (no values), so braces in them are literal: write
{} here, not {{}}. Reasons and next steps are formatted: {{ }} for a literal brace.
"""

MESSAGES: dict[str, str] = {
    # == 06-scratch-disk =================================================================
    "06-scratch-disk.q1.title": "06 · q1 · summarise a download in a private scratch file",
    "06-scratch-disk.q1.hint.1": "Each request needs its own file, made for it and gone "
    "when it ends, whether it ends with a return or an error. Another request on the same "
    "process may be downloading at the very same moment, and the next request may land on "
    "another process or after a restart: it must never count on finding anything on disk.",
    "06-scratch-disk.q1.hint.2": "tempfile.TemporaryDirectory() as a with-block gives a "
    "fresh folder with a name nobody else uses and deletes it with everything in it when "
    "the block ends, also on an exception. Download into a file inside it, summarise, and "
    "return from inside the block.",
    "06-scratch-disk.q1.hint.3": "The download: requests.get(url, stream=True, "
    "timeout=DOWNLOAD_TIMEOUT) in a with-block, then response.raise_for_status() (a 404 page "
    "is not a CSV), then write response.iter_content(chunk_size=65536) to the file chunk by "
    "chunk. A connection cut half way raises from iter_content: let it propagate.",
    "06-scratch-disk.q2.title": "06 · q2 · a report job: all of the result, or none of it",
    "06-scratch-disk.q2.hint.1": "A process may be killed at any line of build_report. "
    "Whatever another process reads from Redis at that moment must be either the old state "
    "or the whole new report, never half of it and never a placeholder. So do all the work "
    "in the scratch space first, and touch Redis once, at the very end.",
    "06-scratch-disk.q2.hint.2": "Store the report as one JSON string with a single SET "
    "(r.set(key, json.dumps(report))) after the summary is complete; get_report reads it "
    "with GET and json.loads (None when the key does not exist). No HSET per field, no "
    "HINCRBY per row, no 'running' status in the same key.",
    "06-scratch-disk.q2.hint.3": "A download that fails must raise before anything is "
    "stored, and the scratch file must still go: tempfile.NamedTemporaryFile() or "
    "TemporaryDirectory() in a with-block removes it on the way out of an exception too. "
    "Do not catch requests' errors to store what you have so far.",
    # -- reasons and next steps of the scratch-disk checks --------------------------------
    "reason.temp_file_shared": "Two requests ran at the same time on pid {pid}: "
    "{first} was paused half way through its download while {second} ran from start to "
    "end. Then {handler} went wrong, although each of them is right on its own: the two "
    "requests used the same file on disk.",
    "next.temp_file_shared": "Give every request its own scratch file: "
    "tempfile.TemporaryDirectory() or tempfile.NamedTemporaryFile() make a new, unique "
    "name each time. A fixed name (orders.csv, or the file's own name in a shared folder) "
    "is shared by every request that process serves at once.",
    "reason.stale_copy": "Request #{seq} ({handler}) on pid {pid} answered the summary of "
    "an older version of the file. The file host has a newer one: the process used a copy "
    "kept on its disk from an earlier request.",
    "next.stale_copy": "Download the file for every request and delete it afterwards. A "
    "process's disk is a scratch space for one request, not a cache: another process (or "
    "this one after a restart) has no copy, and the copy that survives goes stale.",
    "reason.left_on_disk": "After {after}, pid {pid} still has files on its disk: {files}. "
    "No request was running: these are left over, and every request leaves more until the "
    "process hits its disk quota and is evicted.",
    "next.left_on_disk": "Delete what a request downloaded when the request ends, on "
    "success and on error: a with-block around tempfile.TemporaryDirectory() (or "
    "NamedTemporaryFile()) does both. Do not keep files 'for next time'.",
    "expected.empty_disk": "an empty disk: every scratch file deleted when its request ended",
    "reason.error_hidden": "Request #{seq} ({handler}) on pid {pid} returned a value, but "
    "its download {fault}. The user got numbers computed from an error page or from half "
    "a file, and nothing told them so.",
    "next.error_hidden": "Call response.raise_for_status() before reading the body, pass "
    "timeout=DOWNLOAD_TIMEOUT to requests.get, and let a connection error from "
    "iter_content propagate (do not catch it and go on with what you have).",
    "expected.an_error": "an exception: the request fails, and says so",
    # What the file host did to a download ({fault} in the two reasons around these).
    "06.fault.cut": "cut half way",
    "06.fault.stall": "stalled half way",
    "06.fault.missing": "answered 404",
    "reason.partial_after_error": "The download of {name} {fault} and the request failed, "
    "as it should. But then get_report({name!r}) on pid {pid} showed a report that is "
    "neither the previous one nor none: something was stored before the work finished.",
    "next.partial_after_error": "Store the report only after the download and the "
    "summary have both succeeded, in one command at the end of build_report.",
    "reason.partial_result": "The platform killed pid {victim} right after its {event} "
    "while it built the report of {name}. Then get_report({name!r}) on pid {pid} showed a "
    "report that is neither absent nor complete: another process read half a result (or a "
    "placeholder).",
    "next.partial_result": "A process can die between any two lines. Compute the whole "
    "report first, then store it with one SET of one JSON string; never write it field by "
    "field or row by row, and never store a 'not finished yet' value under the same key.",
    "expected.none_or": "None (no report yet), or the complete report {report!r}",
    "reason.retry_failed": "The platform killed pid {victim} right after its {event} "
    "while it built the report of {name}. Retrying build_report({name!r}) on pid {pid} did "
    "not give the complete report: a failed attempt must leave nothing that spoils the "
    "next one.",
    "next.retry_failed": "Make build_report safe to run again: start from a fresh scratch "
    "file every time, and overwrite the stored report as a whole.",
    "reason.result_lost": "A retry of a killed report job did not give the complete report.",
    "next.result_lost": "Make build_report safe to run again: start from a fresh scratch "
    "file every time, and overwrite the stored report as a whole.",
    "reason.report_wrong": "build_report({name!r}) on pid {pid} did not return the "
    "complete report.",
    # -- the parts' titles, in feedback headings ("part: survives crashes") -------------
    "part.private_temp_files": "private temp files",
    "part.clean_disk": "clean disk",
    "part.all_or_nothing": "all or nothing",
    "part.failed_download": "failed download",
}
