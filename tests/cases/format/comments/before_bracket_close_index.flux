x = a[0
// close
]
