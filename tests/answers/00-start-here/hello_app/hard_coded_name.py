# expect: hello_greets_everyone=0
# reason: wrong_response
# Greets the example user whoever asks. With the default diagnosis this would be blamed on
# state not being shared between processes; hello_diagnose keeps it a plain wrong response.
def hello(name):
    return "Hello, Ada!"
