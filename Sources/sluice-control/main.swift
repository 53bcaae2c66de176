print("sluice-control: not yet implemented")
