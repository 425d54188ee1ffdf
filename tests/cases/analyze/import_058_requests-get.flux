import "http/requests"

resp = requests.get(url: params.url, headers: ["Authorization": params.auth])

resp.statusCode
