# expect: global_restart_prediction=0
# reason: wrong_prediction
# Thinks a restart leaves the global at 0 and the hit is not counted yet.
global_after_restart = 0
