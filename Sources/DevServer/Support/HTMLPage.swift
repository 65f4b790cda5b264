import MicroHTTP

/// The dev server's small, self-contained HTML pages: inline styles, no scripts.
enum HTMLPage {
    static func render(title: String, body: String) -> String {
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(htmlEscape(title))</title>
        <style>
        body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#222}
        h1{font-size:1.3rem} label{display:block;margin:.8rem 0 .3rem} input{width:100%;padding:.4rem}
        button{margin:1rem .5rem 0 0;padding:.5rem 1.2rem} .muted{color:#666;font-size:.9rem}
        code{background:#f2f2f2;padding:0 .2rem}
        </style></head>
        <body>
        <h1>\(htmlEscape(title))</h1>
        \(body)
        </body></html>
        """
    }

    /// A page explaining an error the browser must not be redirected for (RFC 6749 §4.1.2.1).
    static func error(_ status: Int, title: String, message: String) -> HTTPResponse {
        .html(status, render(title: title, body: "<p>\(htmlEscape(message))</p>"))
    }
}
