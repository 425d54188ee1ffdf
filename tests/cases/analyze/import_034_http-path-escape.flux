import "http"

url = params.base + "/" + http.pathEscape(inputString: params.path)

url
