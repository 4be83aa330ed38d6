"""The text part of a digest as a mail client shows it (vigie.yaml(5),
SMTP): wrapped at 72 characters, between words, continuation lines indented
under their label. checked(text) asserts that no line is longer, but one
that holds a single word after its indent (a URL, a unit path) or the ack
command, which is never split; unwrap(text) joins the wrapped lines again
(a break is undone where the next line, indented deeper or as the previous
continuation, starts with a word that would not have fitted), so that a
test can check a phrase whole: a word split across lines would not match."""

WIDTH = 72


def checked(text):
    for line in text.split("\n"):
        body = line.lstrip(" ")
        assert (len(line) <= WIDTH or " " not in body
                or body.startswith("vigie ack ")), \
            "line of %d characters: %r" % (len(line), line)
    return text


def unwrap(text):
    lines = text.split("\n")
    out = [lines[0]]
    prev, cont = lines[0], None
    for nxt in lines[1:]:
        ind = len(prev) - len(prev.lstrip(" "))
        body = nxt.lstrip(" ")
        mind = len(nxt) - len(body)
        # the ack command is one word: copied whole, never split
        word = body if body.startswith("vigie ack ") else body.split(" ")[0]
        if word and (mind == ind + 2 or mind == cont) and \
                len(prev) + 1 + len(word) > WIDTH:
            out[-1] += " " + body
            cont = mind
        else:
            out.append(nxt)
            cont = None
        prev = nxt
    return "\n".join(out)


def shown(text):
    """checked, then unwrapped."""
    return unwrap(checked(text))
