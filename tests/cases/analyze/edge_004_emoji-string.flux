label = "🔥 hot: " + params.label

label
