Analysis = Reference = analyze = find_params = None
