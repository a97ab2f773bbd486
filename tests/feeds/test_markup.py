from feeds.markup import render_markdown


def test_markdown_becomes_html():
    html = render_markdown("# Title\n\nSome **bold** and `code`.\n\n- one\n- two")
    assert "<strong>bold</strong>" in html
    assert "<code>code</code>" in html
    assert "<li>one</li>" in html


def test_raw_html_and_scripts_are_removed():
    html = render_markdown('Hi <script>alert(1)</script><img src=x onerror="alert(2)"> <b>ok</b>')
    assert "<script" not in html
    assert "onerror" not in html
    assert "<b>ok</b>" in html


def test_javascript_links_are_removed():
    html = render_markdown("[click](javascript:alert(1))")
    assert "javascript:" not in html


def test_relative_links_become_absolute_with_a_base():
    html = render_markdown("[status](/status/) ![pic](/static/pic.png)", "https://example.com/")
    assert 'href="https://example.com/status/"' in html
    assert 'src="https://example.com/static/pic.png"' in html


def test_relative_links_stay_relative_without_a_base():
    assert 'href="/status/"' in render_markdown("[status](/status/)")
