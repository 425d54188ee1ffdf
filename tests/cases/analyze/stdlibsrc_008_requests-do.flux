import "experimental/http/requests"

resp = requests._do(method: params.method, url: params.url, config: {timeout: params.timeout, insecureSkipVerify: false})
ok = resp.statusCode == params.status
