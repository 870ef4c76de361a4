"""A bare WSGI app returning a small HTML page: the yardstick the LMS pages are compared with
(same gunicorn settings, same load generator, same machine, same run)."""

BODY = (
    "<!doctype html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>Hello</title></head>\n"
    "<body><main><h1>Hello</h1><p>" + "A small page of about one kilobyte, served without a framework. " * 12
    + "</p></main></body>\n</html>\n"
).encode()
HEADERS = [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(BODY)))]


def app(environ, start_response):
    start_response("200 OK", HEADERS)
    return [BODY]
