<?xml version="1.0" encoding="UTF-8"?>
<!--
  core.xsl: what every module of the reading editions shares.

  Parameters, keys, the attribute helpers (ids, lang, classes from @type/@rend),
  the URL guard, the link helper and the fallbacks that make any TEI element
  render its text.  Two modes exist throughout the modules:
    #default  HTML5 (elements in no namespace, serialised by edition/render.py)
    txt       a small block vocabulary (h, p, line, indent, br) that
              edition/render.py wraps into plain text
  and two helper modes: plain (text only, for titles and tooltips) and
  has-block (answers "b" if an element renders block-level content).
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:str="http://exslt.org/strings"
    exclude-result-prefixes="tei str">

  <!-- Where the register (persons, places, organisations) is published:
       one page for all, or one page per kind (they default to $register).
       '' for a page rendered alone: it lists the file's own entries (template
       "entities") and its registered names link there. -->
  <xsl:param name="register" select="'register.html'"/>
  <xsl:param name="persons" select="$register"/>
  <xsl:param name="places" select="$register"/>
  <xsl:param name="organisations" select="$register"/>
  <!-- The register pages as names link to them: through safe-url, once ('' if
       a page is '' or unsafe). -->
  <xsl:variable name="register-href"><xsl:call-template name="safe-url"><xsl:with-param name="url" select="$register"/></xsl:call-template></xsl:variable>
  <xsl:variable name="persons-href"><xsl:call-template name="safe-url"><xsl:with-param name="url" select="$persons"/></xsl:call-template></xsl:variable>
  <xsl:variable name="places-href"><xsl:call-template name="safe-url"><xsl:with-param name="url" select="$places"/></xsl:call-template></xsl:variable>
  <xsl:variable name="organisations-href"><xsl:call-template name="safe-url"><xsl:with-param name="url" select="$organisations"/></xsl:call-template></xsl:variable>
  <!-- Path of the stylesheet the HTML page links to. -->
  <xsl:param name="css" select="'assets/edition.css'"/>

  <xsl:strip-space elements="tei:TEI tei:teiCorpus tei:teiHeader tei:text tei:front tei:body
      tei:back tei:group tei:div tei:div1 tei:div2 tei:div3 tei:div4 tei:div5 tei:div6 tei:div7
      tei:floatingText tei:list tei:listBibl tei:table tei:row tei:lg tei:sp tei:choice tei:app
      tei:rdgGrp tei:subst tei:figure tei:opener tei:closer tei:standOff tei:facsimile"/>

  <xsl:variable name="upper" select="'ABCDEFGHIJKLMNOPQRSTUVWXYZ'"/>
  <xsl:variable name="lower" select="'abcdefghijklmnopqrstuvwxyz'"/>
  <xsl:variable name="token-chars"
      select="'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_'"/>

  <!-- Notes that become numbered footnotes: every note of a text that is not a
       block of its own (a note standing directly in a division or body is shown
       where it stands, e.g. a source's endnotes in div type="notes"). -->
  <xsl:key name="footnote" use="'all'"
      match="tei:text//tei:note[not(parent::*[self::tei:body or self::tei:front
             or self::tei:back or self::tei:listBibl or starts-with(local-name(), 'div')])]"/>
  <xsl:key name="id" match="*[@xml:id]" use="@xml:id"/>
  <!-- A source's own endnotes (notes standing in a division), by "#id". -->
  <xsl:key name="endnote" match="tei:note[@xml:id][parent::*[starts-with(local-name(), 'div')]]"
      use="concat('#', @xml:id)"/>
  <xsl:key name="ref-by-target" match="tei:ref[@target]" use="normalize-space(@target)"/>

  <!-- ================= helpers ================= -->

  <!-- The characters of $s that may stand in a class token. -->
  <xsl:template name="token">
    <xsl:param name="s"/>
    <xsl:value-of select="translate($s, translate($s, $token-chars, ''), '')"/>
  </xsl:template>

  <!-- "rend-x rend-y" from a white-space separated @rend (or any list): with
       EXSLT str:tokenize where the processor has it (libxslt does), else by
       recursion (which libxslt stops after some thousands of tokens). -->
  <xsl:template name="prefixed-tokens">
    <xsl:param name="list"/>
    <xsl:param name="prefix"/>
    <xsl:choose>
      <xsl:when test="function-available('str:tokenize')">
        <xsl:for-each select="str:tokenize(string($list), ' &#9;&#10;&#13;')">
          <xsl:call-template name="prefixed-token">
            <xsl:with-param name="s" select="string(.)"/>
            <xsl:with-param name="prefix" select="$prefix"/>
          </xsl:call-template>
        </xsl:for-each>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="prefixed-tokens-recursive">
          <xsl:with-param name="list" select="$list"/>
          <xsl:with-param name="prefix" select="$prefix"/>
        </xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="prefixed-tokens-recursive">
    <xsl:param name="list"/>
    <xsl:param name="prefix"/>
    <xsl:variable name="rest" select="normalize-space($list)"/>
    <xsl:if test="$rest != ''">
      <xsl:call-template name="prefixed-token">
        <xsl:with-param name="s" select="substring-before(concat($rest, ' '), ' ')"/>
        <xsl:with-param name="prefix" select="$prefix"/>
      </xsl:call-template>
      <xsl:call-template name="prefixed-tokens-recursive">
        <xsl:with-param name="list" select="substring-after($rest, ' ')"/>
        <xsl:with-param name="prefix" select="$prefix"/>
      </xsl:call-template>
    </xsl:if>
  </xsl:template>

  <!-- " <prefix><token>": the token's class-safe characters, lower-cased. -->
  <xsl:template name="prefixed-token">
    <xsl:param name="s"/>
    <xsl:param name="prefix"/>
    <xsl:variable name="clean" select="translate($s, translate($s, $token-chars, ''), '')"/>
    <xsl:if test="$clean != ''">
      <xsl:value-of select="concat(' ', $prefix, translate($clean, $upper, $lower))"/>
    </xsl:if>
  </xsl:template>

  <!-- id, lang and class attributes of an HTML element made from the context
       TEI element: class = element name, $class, type-X, rend-X. -->
  <xsl:template name="attrs">
    <xsl:param name="class"/>
    <xsl:param name="id" select="@xml:id"/>
    <xsl:if test="$id">
      <xsl:attribute name="id"><xsl:value-of select="$id"/></xsl:attribute>
    </xsl:if>
    <xsl:if test="@xml:lang">
      <xsl:attribute name="lang">
        <xsl:call-template name="token"><xsl:with-param name="s" select="@xml:lang"/></xsl:call-template>
      </xsl:attribute>
    </xsl:if>
    <xsl:attribute name="class">
      <xsl:value-of select="normalize-space(concat('tei-', local-name(), ' ', $class))"/>
      <xsl:if test="@type">
        <xsl:call-template name="prefixed-tokens">
          <xsl:with-param name="list" select="@type"/>
          <xsl:with-param name="prefix" select="'type-'"/>
        </xsl:call-template>
      </xsl:if>
      <xsl:if test="@rend">
        <xsl:call-template name="prefixed-tokens">
          <xsl:with-param name="list" select="@rend"/>
          <xsl:with-param name="prefix" select="'rend-'"/>
        </xsl:call-template>
      </xsl:if>
    </xsl:attribute>
  </xsl:template>

  <!-- A URL from the source made safe for href: tabs and line breaks removed
       (browsers ignore them inside URLs), then only relative URLs and the
       schemes http, https, mailto and ftp pass; anything else gives ''. -->
  <xsl:template name="safe-url">
    <xsl:param name="url"/>
    <xsl:variable name="clean"
        select="normalize-space(translate($url, '&#9;&#10;&#13;', ''))"/>
    <xsl:variable name="probe" select="translate(translate($clean, ' ', ''), $upper, $lower)"/>
    <xsl:variable name="scheme" select="substring-before($probe, ':')"/>
    <xsl:choose>
      <xsl:when test="$clean = ''"/>
      <xsl:when test="not(contains($probe, ':'))
                      or contains($scheme, '/') or contains($scheme, '?')
                      or contains($scheme, '#')">
        <xsl:value-of select="$clean"/>
      </xsl:when>
      <xsl:when test="$scheme = 'http' or $scheme = 'https' or $scheme = 'mailto'
                      or $scheme = 'ftp'">
        <xsl:value-of select="$clean"/>
      </xsl:when>
    </xsl:choose>
  </xsl:template>

  <!-- Where a TEI pointer (@ref, @target: first of its tokens) leads in the
       reading edition: "#id" of a register entry to "page#id" on its register
       page (through safe-url); if that page is '' or unsafe (a page rendered
       outside a site), to the entry where this page lists it if the file's
       standOff has it, else nowhere (''); "#id" of an element of this file's
       text to that element, "#id" of no element of this file nowhere; other
       URLs through safe-url. -->
  <xsl:template name="href">
    <xsl:param name="pointer"/>
    <xsl:param name="to-register" select="false()"/>
    <xsl:param name="kind"/>
    <xsl:variable name="first" select="substring-before(concat(normalize-space($pointer), ' '), ' ')"/>
    <xsl:choose>
      <xsl:when test="starts-with($first, '#') and $to-register
                      and not(key('id', substring($first, 2))[ancestor::tei:text])">
        <xsl:variable name="page">
          <xsl:call-template name="register-page">
            <xsl:with-param name="entry" select="key('id', substring($first, 2))[1]"/>
            <xsl:with-param name="kind" select="$kind"/>
          </xsl:call-template>
        </xsl:variable>
        <xsl:choose>
          <xsl:when test="$page != ''">  <!-- (a fragment the page's URL has gives way) -->
            <xsl:value-of select="concat(substring-before(concat($page, '#'), '#'), $first)"/>
          </xsl:when>
          <!-- no register page: the entry as the page lists it (template "entities") -->
          <xsl:when test="key('id', substring($first, 2))[1][ancestor::tei:standOff]
                          [self::tei:person or self::tei:personGrp or self::tei:place
                           or self::tei:org]">
            <xsl:value-of select="$first"/>
          </xsl:when>
        </xsl:choose>
      </xsl:when>
      <!-- a pointer to an id this file lacks: no link (it would lead nowhere) -->
      <xsl:when test="starts-with($first, '#') and not(key('id', substring($first, 2)))"/>
      <xsl:otherwise>
        <xsl:call-template name="safe-url">
          <xsl:with-param name="url" select="$first"/>
        </xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- The register page of an entry as a safe href (the *-href variables):
       by the entry's element in the file's standOff (person, place, org),
       else by the kind of the name pointing to it. -->
  <xsl:template name="register-page">
    <xsl:param name="entry"/>
    <xsl:param name="kind"/>
    <xsl:choose>
      <xsl:when test="$entry[self::tei:person or self::tei:personGrp]">
        <xsl:value-of select="$persons-href"/>
      </xsl:when>
      <xsl:when test="$entry[self::tei:place]"><xsl:value-of select="$places-href"/></xsl:when>
      <xsl:when test="$entry[self::tei:org]"><xsl:value-of select="$organisations-href"/></xsl:when>
      <xsl:when test="$kind = 'person'"><xsl:value-of select="$persons-href"/></xsl:when>
      <xsl:when test="$kind = 'place'"><xsl:value-of select="$places-href"/></xsl:when>
      <xsl:when test="$kind = 'org'"><xsl:value-of select="$organisations-href"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="$register-href"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- A link to a source URL (@url, @facs) that is never loaded, only
       followed: <a> if the URL is safe, else <span>. -->
  <xsl:template name="url-link">
    <xsl:param name="url"/>
    <xsl:param name="title"/>
    <xsl:param name="label"/>
    <xsl:param name="content" select="/.."/>
    <xsl:variable name="href">
      <xsl:call-template name="safe-url"><xsl:with-param name="url" select="$url"/></xsl:call-template>
    </xsl:variable>
    <xsl:variable name="name">
      <xsl:choose>
        <xsl:when test="$href != ''">a</xsl:when>
        <xsl:otherwise>span</xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:element name="{$name}">
      <xsl:call-template name="attrs"/>
      <xsl:if test="$href != ''">
        <xsl:attribute name="href"><xsl:value-of select="$href"/></xsl:attribute>
      </xsl:if>
      <xsl:attribute name="title"><xsl:value-of select="$title"/></xsl:attribute>
      <xsl:value-of select="$label"/>
      <xsl:apply-templates select="$content"/>
    </xsl:element>
  </xsl:template>

  <!-- "yes" if the context element renders as a link (the same set as in-link
       tests).  A direct test: a key over this union of patterns would cost
       libxslt time that grows with the square of the number of names. -->
  <xsl:template name="link-like">
    <xsl:if test="self::tei:ref[@target] or self::tei:ptr
                  or self::*[@ref or @key][self::tei:persName or self::tei:placeName
                     or self::tei:orgName or self::tei:geogName or self::tei:name
                     or self::tei:rs]">yes</xsl:if>
  </xsl:template>

  <!-- True inside an element that renders as a link (no nested links); a
       direct test of the ancestors, much cheaper than a key lookup per ancestor. -->
  <xsl:template name="in-link">
    <xsl:if test="ancestor::tei:ref[@target] or ancestor::tei:ptr
                  or ancestor::*[@ref or @key][self::tei:persName or self::tei:placeName
                     or self::tei:orgName or self::tei:geogName or self::tei:name
                     or self::tei:rs]">yes</xsl:if>
  </xsl:template>

  <!-- An <a> (or a <span> where a link is impossible or unsafe) around the
       context element's content. -->
  <xsl:template name="link">
    <xsl:param name="href"/>
    <xsl:param name="class"/>
    <xsl:param name="title"/>
    <xsl:param name="content-mode" select="'default'"/>
    <xsl:variable name="nested"><xsl:call-template name="in-link"/></xsl:variable>
    <xsl:variable name="element">
      <xsl:choose>
        <xsl:when test="$href != '' and $nested = ''">a</xsl:when>
        <xsl:otherwise>span</xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:element name="{$element}">
      <xsl:call-template name="attrs">
        <xsl:with-param name="class" select="$class"/>
      </xsl:call-template>
      <xsl:if test="$element = 'a'">
        <xsl:attribute name="href"><xsl:value-of select="$href"/></xsl:attribute>
      </xsl:if>
      <xsl:if test="$title != ''">
        <xsl:attribute name="title"><xsl:value-of select="$title"/></xsl:attribute>
      </xsl:if>
      <xsl:apply-templates/>
    </xsl:element>
    <!-- note references cannot stand inside a link: they follow it -->
    <xsl:if test="$nested = '' and .//tei:note">
      <xsl:variable name="linked"><xsl:call-template name="link-like"/></xsl:variable>
      <xsl:if test="$linked != ''">
        <xsl:apply-templates select=".//tei:note" mode="note-ref"/>
      </xsl:if>
    </xsl:if>
  </xsl:template>

  <!-- "b" if the context element has content that renders as blocks
       (outside notes, which are rendered elsewhere). -->
  <xsl:template name="has-block">
    <xsl:apply-templates select="*" mode="has-block"/>
  </xsl:template>
  <xsl:template match="*" mode="has-block">
    <xsl:apply-templates select="*" mode="has-block"/>
  </xsl:template>
  <xsl:template match="tei:note" mode="has-block"/>
  <xsl:template mode="has-block"
      match="tei:p | tei:ab | tei:div | tei:div1 | tei:div2 | tei:div3 | tei:div4 | tei:div5
             | tei:div6 | tei:div7 | tei:lg | tei:l | tei:list | tei:table | tei:figure
             | tei:floatingText | tei:sp | tei:listBibl | tei:opener | tei:closer | tei:dateline
             | tei:salute | tei:signed | tei:byline | tei:postscript | tei:trailer | tei:epigraph
             | tei:argument | tei:castList | tei:speaker | tei:head | tei:docTitle | tei:titlePage
             | tei:address | tei:listPerson | tei:listPlace | tei:listOrg | tei:listEvent
             | tei:text | tei:body | tei:group">b</xsl:template>

  <!-- "b" if the context element is to be shown as a block: it holds blocks,
       or stands directly in a structural container. -->
  <xsl:template name="blocky">
    <xsl:variable name="inner"><xsl:call-template name="has-block"/></xsl:variable>
    <xsl:if test="$inner != '' or not(parent::*) or parent::*[self::tei:body or self::tei:front
                  or self::tei:back or self::tei:text or self::tei:group or self::tei:TEI
                  or self::tei:teiCorpus or self::tei:floatingText or self::tei:sp
                  or self::tei:lg or self::tei:figure or self::tei:opener or self::tei:closer
                  or self::tei:titlePage or self::tei:docTitle or self::tei:castList
                  or self::tei:address or starts-with(local-name(), 'div')]">b</xsl:if>
  </xsl:template>

  <!-- An HTML block (p, or div when it holds blocks) or an inline span. -->
  <xsl:template name="block">
    <xsl:param name="class"/>
    <xsl:param name="element" select="'p'"/>
    <xsl:variable name="inner"><xsl:call-template name="has-block"/></xsl:variable>
    <xsl:variable name="name">
      <xsl:choose>
        <xsl:when test="$inner != ''">div</xsl:when>
        <xsl:otherwise><xsl:value-of select="$element"/></xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:element name="{$name}">
      <xsl:call-template name="attrs">
        <xsl:with-param name="class" select="$class"/>
      </xsl:call-template>
      <xsl:apply-templates/>
      <xsl:call-template name="para-link"/>
    </xsl:element>
  </xsl:template>

  <!-- The visible pilcrow link to a block with an id. -->
  <xsl:template name="para-link">
    <xsl:if test="@xml:id and ancestor::tei:text">
      <xsl:text> </xsl:text>
      <a class="para-link" href="#{@xml:id}" title="Link to this paragraph"
         aria-label="Link to this paragraph">¶</a>
    </xsl:if>
  </xsl:template>

  <!-- ================= fallbacks ================= -->

  <!-- Any element no module knows: its content, in a block or span that names it. -->
  <xsl:template match="*">
    <xsl:variable name="blocky"><xsl:call-template name="blocky"/></xsl:variable>
    <xsl:variable name="name">
      <xsl:choose>
        <xsl:when test="$blocky != ''">div</xsl:when>
        <xsl:otherwise>span</xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:element name="{$name}">
      <xsl:call-template name="attrs">
        <xsl:with-param name="class" select="'unknown'"/>
      </xsl:call-template>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="*" mode="txt">
    <xsl:variable name="blocky"><xsl:call-template name="blocky"/></xsl:variable>
    <xsl:choose>
      <xsl:when test="$blocky != '' and normalize-space(text()) != ''">
        <p><xsl:apply-templates mode="txt"/></p>
      </xsl:when>
      <xsl:otherwise><xsl:apply-templates mode="txt"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="*" mode="plain">
    <xsl:apply-templates mode="plain"/>
  </xsl:template>
  <xsl:template match="tei:note" mode="plain"/>
  <xsl:template match="text()" mode="plain">
    <xsl:value-of select="."/>
  </xsl:template>

  <!-- Comments and processing instructions of the source are not shown. -->
  <xsl:template match="comment() | processing-instruction()" mode="txt"/>
  <xsl:template match="comment() | processing-instruction()"/>

  <!-- Elements outside the text that no reading edition shows inline. -->
  <xsl:template match="tei:teiHeader | tei:standOff | tei:facsimile"/>
  <xsl:template match="tei:teiHeader | tei:standOff | tei:facsimile" mode="txt"/>

</xsl:stylesheet>
