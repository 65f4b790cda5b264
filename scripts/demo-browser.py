#!/usr/bin/env python3
"""The demo's stand-in for a person at a browser: opens the sign-in URL, reads the consent
page, approves as the demo user, and follows the redirect back to the relay's loopback
listener. Real HTTP all the way; output goes to stderr."""
import html.parser
import sys
import urllib.error
import urllib.parse
import urllib.request


class ConsentForm(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.action = None
        self.fields = {}

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self.action = attributes.get("action")
        if tag == "input" and attributes.get("name") and attributes.get("type") == "hidden":
            self.fields[attributes["name"]] = attributes.get("value", "")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def main():
    url = sys.argv[1]
    user = "demo"
    say = lambda text: print(f"  [browser] {text}", file=sys.stderr)
    say("opening the authorization server's sign-in page")
    page = urllib.request.urlopen(url, timeout=20).read().decode()
    form = ConsentForm()
    form.feed(page)
    target = urllib.parse.urljoin(url, form.action or "/authorize")
    fields = dict(form.fields, username=user, decision="approve")
    say(f"signing in as '{user}' and pressing Approve")
    opener = urllib.request.build_opener(NoRedirect)
    try:
        opener.open(target, urllib.parse.urlencode(fields).encode(), timeout=20)
        say("the server did not redirect back")
        return 1
    except urllib.error.HTTPError as redirect:
        if redirect.code not in (302, 303):
            say(f"the server answered {redirect.code}")
            return 1
        location = redirect.headers["Location"]
    say("following the redirect back to the relay's loopback listener")
    urllib.request.urlopen(location, timeout=20).read()
    say("done: the relay has the authorization code")
    return 0


if __name__ == "__main__":
    sys.exit(main())
