# expect: hello_greets_everyone=0
# reason: wrong_response
# "Tidies" the name: passes the visible check (every name there is capitalised) but the hidden
# check greets "bob" and "Jan Novák" too, so the graded cell scores 0.
def hello(name):
    return "Hello, " + name.capitalize() + "!"
