# expect: global_restart_prediction=0
# reason: wrong_prediction
# Thinks the variable is gone, not recreated by the file.
global_after_restart = None
