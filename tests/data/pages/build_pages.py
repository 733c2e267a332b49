"""Build the web-page test set: report text from corpus/ inside site chrome.

Run from the repository root: ``python tests/data/pages/build_pages.py``.
Writes one page per (text, layout) and ``pages.jsonl`` describing each page:
its file, layout, the source of its text (a seed file or a chunk id) and the
page metadata it declares.  The chrome (menus, breadcrumbs, information
tables, related links, footers, date bars) is written here; the report text
is corpus data.
"""
import html
import json
import os
import re

ROOT = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(ROOT, "..", "..", ".."))
E = html.escape

SITES = {
    "000": ("硚口区", "武汉市硚口区人民政府", "鄂", "420104"),
    "001": ("洞头区", "温州市洞头区人民政府", "浙", "330305"),
    "002": ("綦江区", "重庆市綦江区人民政府", "渝", "500110"),
    "003": ("钟楼区", "常州市钟楼区人民政府", "苏", "320404"),
    "004": ("海盐县", "海盐县人民政府", "浙", "330424"),
}


def seed_parts(path, title):
    lines = open(path, encoding="utf-8").read().split("\n")
    if title:
        for i, line in enumerate(lines):
            if line.strip() == title:
                return title, lines[i + 1:]
    return None, lines


def date_bar():
    return "今天是：2025年3月19日 星期三 农历二月二十"


def table_page(site, title, lines, meta):
    name, org, abbr, code = site
    paras = "\n".join(f"<p style=\"text-indent:2em\">{E(x)}</p>" for x in lines if x.strip())
    t = title or "法治政府建设年度报告"
    return f"""<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">
<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>{E(t)}_{E(org)}</title>
<meta name="ArticleTitle" content="{E(title or '')}">
<meta name="PubDate" content="{meta['date']} 11:31">
<meta name="ContentSource" content="{E(meta['source'])}">
<link href="/css/style.css" rel="stylesheet" type="text/css">
<script type="text/javascript">var _hmt = _hmt || []; function dyniframesize(d){{ if (d < 1) return; }}</script>
<style>.xxgk td{{border:1px solid #ccc}} p{{line-height:2}}</style>
</head>
<body topmargin="0">
<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0">
<tr><td height="30" class="f12">{date_bar()}</td>
<td align="right"><a href="/wza/">无障碍浏览</a> <a href="/old/">长者模式</a> <a href="/en/">English</a></td></tr>
</table>
<table width="1000" align="center"><tr><td><img src="/images/logo.jpg" alt="{E(org)}"></td></tr>
<tr><td height="40" bgcolor="#0b5fb0"><a href="/">首页</a> | <a href="/zjqk/">走进{E(name)}</a> | <a href="/zwgk/">政务公开</a> | <a href="/zmhd/">政民互动</a> | <a href="/bsfw/">办事服务</a> | <a href="/ztzl/">专题专栏</a></td></tr></table>
<table width="1000" align="center" border="0" cellpadding="0" cellspacing="0"><tr>
<td width="240" valign="top">
  <table width="100%"><tr><td height="36">信息公开目录</td></tr>
  <tr><td><a href="/zwgk/zn/">政府信息公开指南</a></td></tr>
  <tr><td><a href="/zwgk/zd/">政府信息公开制度</a></td></tr>
  <tr><td><a href="/zwgk/fdzdgknr/">法定主动公开内容</a></td></tr>
  <tr><td><a href="/zwgk/nb/">政府信息公开年报</a></td></tr></table>
</td>
<td width="20"></td>
<td valign="top">
  <table width="100%"><tr><td height="30">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="/zwgk/fdzdgknr/">法定主动公开内容</a></td></tr></table>
  <table width="100%" class="xxgk" border="1" cellspacing="0">
  <tr><td width="15%">索引号：</td><td width="35%">{code}-{meta['date'][:4]}-00012</td><td width="15%">发布机构：</td><td>{E(meta['source'])}</td></tr>
  <tr><td>成文日期：</td><td>{meta['date']}</td><td>发布日期：</td><td>{meta['date']}</td></tr>
  <tr><td>名称：</td><td colspan="3">{E(title or t)}</td></tr></table>
  <table width="100%" border="0">
  {f'<tr><td align="center" height="60"><font size="5" color="#c00"><b>{E(title)}</b></font></td></tr>' if title else ''}
  <tr><td align="center" class="f12">发布时间：{meta['date']} 来源：{E(meta['source'])} 【字体：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>】</td></tr>
  <tr><td id="zoom" class="f14">
{paras}
  </td></tr>
  <tr><td align="right">【<a href="javascript:window.print()">打印本页</a>】 【<a href="javascript:window.close()">关闭窗口</a>】</td></tr>
  <tr><td>相关链接：<br><a href="/a/1.html">{E(name)}2023年度法治政府建设情况报告</a><br><a href="/a/2.html">关于印发{E(name)}法治政府建设实施方案的通知</a></td></tr>
  </table>
</td></tr></table>
<table width="1000" align="center" bgcolor="#eeeeee"><tr><td align="center">
主办单位：{E(org)}办公室 承办单位：{E(name)}大数据中心<br>
地址：{E(name)}政务服务中心 邮编：430030 电话：027-83761234<br>
网站标识码：{code}0001 {abbr}ICP备05003393号 {abbr}公网安备 {code}02000123号<br>
<a href="https://zfwzzc.www.gov.cn/">政府网站找错</a> <a href="/sla/">适老化无障碍服务</a> 您是第 1234567 位访客
</td></tr></table>
</body></html>
"""


def modern_page(site, title, lines, meta):
    name, org, abbr, code = site
    paras = "\n".join(f"<p>{E(x)}</p>" for x in lines if x.strip())
    t = title or "法治政府建设年度报告"
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle",
                     "headline": title or t, "datePublished": meta["date"],
                     "publisher": {"@type": "GovernmentOrganization", "name": meta["source"]}},
                    ensure_ascii=False)
    h1 = f'<h1 class="article-title">{E(title)}</h1>' if title else ""
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{E(t)} - {E(org)}</title>
<meta name="SiteName" content="{E(org)}"><meta name="ColumnName" content="法治政府建设">
<meta name="ArticleTitle" content="{E(title or '')}">
<meta name="PubDate" content="{meta['date']} 09:00:00">
<meta name="ContentSource" content="{E(meta['source'])}">
<script type="application/ld+json">{ld}</script>
<script src="/js/jquery.min.js"></script><script>window.addEventListener("load",function(){{}});</script>
</head><body>
<div class="topbar"><div class="wrap"><span class="date">{date_bar()}</span>
<span class="right"><a href="#">无障碍浏览</a><a href="#">长者模式</a><a href="/en/">English</a></span></div></div>
<header class="site-header"><div class="logo">{E(org)}</div>
<form class="search" action="/search"><input name="q" placeholder="请输入关键词"><button>搜索</button></form></header>
<nav class="main-nav"><ul><li><a href="/">首页</a></li><li><a href="/zjqj/">走进{E(name)}</a></li><li><a href="/zwgk/">政务公开</a></li><li><a href="/hdjl/">互动交流</a></li><li><a href="/ztzl/">专题专栏</a></li></ul></nav>
<main class="container">
<div class="crumbs">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <span>法治政府建设年度报告</span></div>
<div class="layout">
<article class="article">
{h1}
<div class="article-meta"><span>发布日期：{meta['date']}</span> <span>来源：{E(meta['source'])}</span> <span class="views">浏览次数：2381</span>
<span class="fontsize">字号：<a>大</a> <a>中</a> <a>小</a></span></div>
<div class="xxgk-table"><table>
<tr><th>索引号</th><td>{code}/{meta['date'][:4]}-00341</td><th>发布机构</th><td>{E(meta['source'])}</td></tr>
<tr><th>成文日期</th><td>{meta['date']}</td><th>发布日期</th><td>{meta['date']}</td></tr>
<tr><th>名称</th><td colspan="3">{E(title or t)}</td></tr></table></div>
<div class="article-content" id="zoom">
{paras}
</div>
<div class="share-bar">分享到：<a href="#">微信</a> <a href="#">微博</a> <a href="#">QQ空间</a></div>
<div class="qrcode"><img src="/qr.png" alt=""><p>扫一扫在手机打开当前页</p></div>
<div class="prev-next"><p>上一篇：<a href="/a/3.html">{E(name)}2024年政府信息公开工作年度报告</a></p>
<p>下一篇：<a href="/a/4.html">关于公布{E(name)}行政执法主体名单的通告</a></p></div>
</article>
<aside class="sidebar"><h3>相关文章</h3><ul>
<li><a href="/a/5.html">{E(name)}召开全面依法治区委员会会议</a></li>
<li><a href="/a/6.html">{E(name)}法治政府建设示范创建工作推进会召开</a></li>
<li><a href="/a/7.html">2023年度法治政府建设情况报告</a></li></ul></aside>
</div></main>
<footer class="site-footer"><div class="links"><a href="#">网站地图</a> | <a href="#">联系我们</a> | <a href="#">使用帮助</a></div>
<p>主办单位：{E(org)}办公室</p>
<p>网站标识码：{code}0001　{abbr}ICP备12003456号-1　{abbr}公网安备 {code}02000512号</p>
<p><a href="https://zfwzzc.www.gov.cn/">政府网站找错</a> <a href="#">适老化无障碍服务</a></p></footer>
</body></html>
"""


def mobile_page(site, title, lines, meta):
    name, org, abbr, code = site
    body = "<br>\n".join(E(x) for x in lines if x.strip())
    t = title or "法治政府建设年度报告"
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1,maximum-scale=1,user-scalable=no">
<title>{E(title or org)}</title>
<style>body{{font-size:16px}}.m-content{{line-height:1.8}}</style></head>
<body>
<div class="m-header"><a href="javascript:history.back()" class="back">返回</a><span>{E(org)}</span><a href="/m/" class="home">首页</a></div>
<div class="m-date">{date_bar()}</div>
{f'<div class="m-title">{E(title)}</div>' if title else ''}
<div class="m-info">{meta['date']}　来源：{E(meta['source'])}</div>
<div class="m-content">
{body}
</div>
<div class="m-tools"><a href="#">分享</a> <a href="#">收藏</a> <a href="#">字号</a></div>
<div class="m-related"><div>相关推荐</div><a href="/m/a/1.html">{E(name)}全面推进严格规范公正文明执法</a><br><a href="/m/a/2.html">{E(name)}开展法治宣传进社区活动</a></div>
<div class="m-footer">{E(org)}　版权所有<br>{abbr}ICP备05003393号<br>网站标识码：{code}0001</div>
</body></html>
"""


LAYOUTS = {"table": (table_page, "gbk"), "modern": (modern_page, "utf-8"),
           "mobile": (mobile_page, "utf-8")}
CHUNKS = ["c0006", "c0012", "c0009"]


def main():
    rows = [json.loads(x) for x in open(os.path.join(REPO, "corpus", "reports.jsonl"), encoding="utf-8")]
    out = []
    for r in rows:
        key = r["id"][:3]
        path = os.path.join(REPO, "corpus", r["file"])
        title, lines = seed_parts(path, r["title"] if key != "004" else None)
        meta = {"date": r["date"] or "2024-03-06", "source": r["source"] or r["publisher"]
                or SITES[key][1]}
        for layout, (fn, enc) in LAYOUTS.items():
            name = f"seed{key}_{layout}.html"
            data = fn(SITES[key], title, lines, meta).encode(enc, "xmlcharrefreplace")
            with open(os.path.join(ROOT, name), "wb") as f:
                f.write(data)
            out.append({"file": name, "layout": layout, "encoding": enc,
                        "text": "corpus/" + r["file"], "title": title, "date": meta["date"],
                        "source": meta["source"]})
    chunks = {}
    for line in open(os.path.join(REPO, "corpus", "chunks", "chunks.jsonl"), encoding="utf-8"):
        c = json.loads(line)
        chunks[c["id"]] = c
    site = ("某区", "某区人民政府", "京", "110000")
    for cid, (layout, (fn, enc)) in zip(CHUNKS, LAYOUTS.items()):
        lines = [x for x in re.split(r"\n", chunks[cid]["text"])]
        meta = {"date": "2024-03-06", "source": "某区司法局"}
        name = f"chunk_{cid}_{layout}.html"
        with open(os.path.join(ROOT, name), "wb") as f:
            f.write(fn(site, None, lines, meta).encode(enc, "xmlcharrefreplace"))
        out.append({"file": name, "layout": layout, "encoding": enc, "chunk": cid,
                    "url": chunks[cid]["url"], "title": None, "date": meta["date"],
                    "source": meta["source"]})
    with open(os.path.join(ROOT, "pages.jsonl"), "w", encoding="utf-8") as f:
        for row in out:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
