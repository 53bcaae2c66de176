print("sluicectl: not yet implemented")
