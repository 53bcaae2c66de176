print("sluice-proxy: not yet implemented")
