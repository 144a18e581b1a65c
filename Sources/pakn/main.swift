print("pakn")
