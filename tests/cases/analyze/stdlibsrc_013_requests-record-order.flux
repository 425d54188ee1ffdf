import "http/requests"

resp = requests.get(url: params.url)
x = [params.response, resp]
y = [params.config, requests.defaultConfig]
