# expect: fourth_request_prediction=0
# reason: not_attempted
# Replaced the stub with the variable but left the value as ...: not attempted, not wrong.
fourth_request_shows = ...
