# expect: hello_greets_everyone=0
# reason: wrong_response
# Forgot the comma after "Hello": the text is almost right, and the check shows both side by side.
def hello(name):
    return f"Hello {name}!"
