import "experimental/dynamic"

same = dynamic._isNotDistinct(a: params.left, b: params.right)
flag = if same then params.ifSame else "different"
