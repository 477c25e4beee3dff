# expect: hello_greets_everyone=0
# reason: app_error
# No parameter: the platform calls hello(name=...) and gets a TypeError.
def hello():
    return "Hello, World!"
