# expect: hello_greets_everyone=0
# reason: wrong_response
# No f in front of the string: every user is greeted as the literal "{name}".
def hello(name):
    return "Hello, {name}!"
