# expect: file_restart_prediction=0
# reason: wrong_prediction
# Thinks reading a missing file gives None.
file_after_restart = None
