import SluiceHTTP
print("sluice-hello: not yet implemented")
