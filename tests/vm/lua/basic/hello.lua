print("hello from the kernel", 1, 2.5, nil, true)
