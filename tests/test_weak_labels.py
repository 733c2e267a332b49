"""The heading weak-label mapper of the research experiment in models/weak_labels.py."""
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "models"))
from weak_labels import heading_category, path_category  # noqa: E402


@pytest.mark.parametrize("heading,code", [
    ("（二）促进依法科学民主决策", "decision_legality"),
    ("三、坚持严格规范公正文明执法", "enforcement"),
    ("（四）强化行政权力制约和监督", "supervision"),
    ("（五）依法有效化解社会矛盾纠纷", "dispute_resolution"),
    ("（六）健全突发事件应对体系", "emergency"),
    ("（七）全面建设数字法治政府", "digital_government"),
    ("（一）深化“放管服”改革，优化法治化营商环境", "business_environment"),
    ("1.深入推进八五普法", "legal_publicity"),
    ("（三）完善公共法律服务体系", "legal_services"),
    ("一、加强党的领导，统筹推进法治政府建设", "leadership"),
    ("二、存在的不足和原因", None),
    ("三、下一步工作安排", None),
    ("", None),
])
def test_heading_category(heading, code):
    assert heading_category(heading) == code


def test_path_category_uses_innermost_mapped_heading():
    assert path_category(("一、主要工作", "（三）深入推进普法")) == "legal_publicity"
    assert path_category(("一、推进严格执法", "（一）主要做法")) == "enforcement"
    assert path_category(()) is None
