# expect: file_restart_prediction=0
# reason: wrong_prediction
# Thinks the file survives but the last hit is lost.
file_after_restart = 3
