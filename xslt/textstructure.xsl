<?xml version="1.0" encoding="UTF-8"?>
<!--
  textstructure.xsl: TEI documents, divisions, paragraphs and the other
  block structures (Guidelines ch. 4 default text structure, 3 core elements
  for lists, quotations, highlighting, links and milestones, 6 verse, 7 drama,
  14 tables and figures).
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="tei">

  <!-- ================= documents ================= -->

  <xsl:template match="tei:TEI">
    <article>
      <xsl:call-template name="attrs"/>
      <header class="edition-header">
        <xsl:apply-templates select="tei:teiHeader | self::*[not(tei:teiHeader)]" mode="title-block"/>
      </header>
      <xsl:apply-templates/>
    </article>
  </xsl:template>

  <xsl:template match="tei:teiCorpus">
    <div>
      <xsl:call-template name="attrs"/>
      <header class="edition-header">
        <xsl:apply-templates select="tei:teiHeader | self::*[not(tei:teiHeader)]" mode="title-block"/>
      </header>
      <xsl:apply-templates/>
    </div>
  </xsl:template>

  <xsl:template match="tei:TEI | tei:teiCorpus" mode="txt">
    <xsl:apply-templates select="tei:teiHeader | self::*[not(tei:teiHeader)]" mode="title-block-txt"/>
    <xsl:apply-templates mode="txt"/>
  </xsl:template>

  <xsl:template match="tei:text | tei:front | tei:body | tei:back | tei:group">
    <div>
      <xsl:call-template name="attrs"/>
      <xsl:apply-templates/>
    </div>
  </xsl:template>

  <!-- ================= divisions ================= -->

  <xsl:template match="tei:text | tei:front | tei:body | tei:back | tei:group" mode="txt">
    <group><xsl:apply-templates mode="txt"/></group>
  </xsl:template>

  <xsl:template match="tei:div | tei:div1 | tei:div2 | tei:div3 | tei:div4 | tei:div5
                       | tei:div6 | tei:div7">
    <xsl:variable name="name">
      <xsl:choose>
        <xsl:when test="@type = 'document'">article</xsl:when>
        <xsl:otherwise>section</xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:element name="{$name}">
      <xsl:call-template name="attrs"><xsl:with-param name="class" select="'div'"/></xsl:call-template>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <!-- Page furniture of a web source: kept, collapsed. -->
  <xsl:template match="tei:div[@type = 'paratext'] | tei:ab[@type = 'boilerplate'
                       and not(ancestor::tei:div[@type = 'paratext'])]">
    <details>
      <xsl:call-template name="attrs"><xsl:with-param name="class" select="'paratext'"/></xsl:call-template>
      <summary>Page furniture of the source (navigation, links, notices)</summary>
      <xsl:apply-templates select="." mode="paratext-content"/>
    </details>
  </xsl:template>
  <xsl:template match="tei:div" mode="paratext-content">
    <xsl:apply-templates/>
  </xsl:template>
  <xsl:template match="tei:ab" mode="paratext-content">
    <p class="tei-ab type-boilerplate"><xsl:apply-templates/></p>
  </xsl:template>
  <xsl:template match="tei:div[@type = 'paratext'] | tei:ab[@type = 'boilerplate']" mode="txt"/>

  <xsl:template match="tei:floatingText">
    <section>
      <xsl:call-template name="attrs"><xsl:with-param name="class" select="'quoted'"/></xsl:call-template>
      <xsl:apply-templates/>
    </section>
  </xsl:template>

  <xsl:template match="tei:floatingText" mode="txt">
    <indent by="4"><xsl:apply-templates mode="txt"/></indent>
  </xsl:template>

  <!-- ================= headings ================= -->

  <!-- Level of a division heading: the page title is h1. -->
  <xsl:template name="heading-level">
    <xsl:variable name="n" select="count(ancestor::*[starts-with(local-name(), 'div')])
        + count(ancestor::tei:TEI | ancestor::tei:teiCorpus)
        + number(not(parent::*[starts-with(local-name(), 'div')]))"/>
    <xsl:choose>
      <xsl:when test="$n &gt; 6">6</xsl:when>
      <xsl:when test="$n &lt; 2">2</xsl:when>
      <xsl:otherwise><xsl:value-of select="$n"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:head[parent::*[self::tei:body or self::tei:front or self::tei:back
                       or starts-with(local-name(), 'div')]]">
    <xsl:variable name="level"><xsl:call-template name="heading-level"/></xsl:variable>
    <xsl:element name="h{$level}">
      <xsl:call-template name="attrs"/>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="tei:head[parent::*[self::tei:body or self::tei:front or self::tei:back
                       or starts-with(local-name(), 'div')]]" mode="txt">
    <h><xsl:attribute name="level"><xsl:call-template name="heading-level"/></xsl:attribute>
      <xsl:apply-templates mode="txt"/></h>
  </xsl:template>

  <!-- Heads of lists, line groups, tables, figures. -->
  <xsl:template match="tei:head">
    <xsl:call-template name="block"/>
  </xsl:template>

  <!-- ================= paragraphs and lines ================= -->

  <xsl:template match="tei:p | tei:ab | tei:dateline | tei:salute | tei:signed | tei:byline
                       | tei:trailer | tei:speaker">
    <xsl:call-template name="block"/>
  </xsl:template>

  <xsl:template match="tei:opener | tei:closer | tei:postscript | tei:argument | tei:epigraph
                       | tei:lg | tei:sp | tei:titlePage | tei:docTitle | tei:address
                       | tei:castList">
    <xsl:call-template name="block"><xsl:with-param name="element" select="'div'"/></xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:l">
    <xsl:call-template name="block"><xsl:with-param name="element" select="'div'"/></xsl:call-template>
  </xsl:template>

  <!-- Elements that are lines of their own in a container (a seg in an opener:
       a telegram's classification line), phrases elsewhere. -->
  <xsl:template match="tei:stage | tei:addrLine | tei:docAuthor | tei:docDate | tei:docImprint
                       | tei:titlePart | tei:docEdition | tei:seg">
    <xsl:variable name="blocky"><xsl:call-template name="blocky"/></xsl:variable>
    <xsl:choose>
      <xsl:when test="$blocky != ''">
        <xsl:call-template name="block"><xsl:with-param name="element" select="'div'"/></xsl:call-template>
      </xsl:when>
      <xsl:otherwise>
        <span><xsl:call-template name="attrs"/><xsl:apply-templates/></span>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template mode="txt"
      match="tei:p | tei:ab | tei:dateline | tei:salute | tei:signed | tei:byline | tei:trailer
             | tei:speaker | tei:head">
    <p><xsl:apply-templates mode="txt"/></p>
  </xsl:template>

  <xsl:template match="tei:l" mode="txt">
    <line><xsl:apply-templates mode="txt"/></line>
  </xsl:template>

  <xsl:template match="tei:stage | tei:addrLine | tei:docAuthor | tei:docDate | tei:docImprint
                       | tei:titlePart | tei:docEdition" mode="txt">
    <xsl:variable name="blocky"><xsl:call-template name="blocky"/></xsl:variable>
    <xsl:choose>
      <xsl:when test="$blocky != ''"><line><xsl:apply-templates mode="txt"/></line></xsl:when>
      <xsl:otherwise><xsl:apply-templates mode="txt"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:lg | tei:epigraph" mode="txt">
    <indent by="2"><xsl:apply-templates mode="txt"/></indent>
  </xsl:template>

  <!-- ================= lists ================= -->

  <xsl:template name="list-kind">
    <xsl:variable name="how" select="translate(concat(' ', @type, ' ', @rend, ' '), $upper, $lower)"/>
    <xsl:choose>
      <xsl:when test="tei:label">gloss</xsl:when>
      <xsl:when test="tei:item[@n]">labelled</xsl:when>
      <xsl:when test="contains($how, 'number') or contains($how, 'order')
                      or contains($how, 'decimal') or contains($how, 'enumerated')">ordered</xsl:when>
      <xsl:when test="contains($how, 'chronology') or contains($how, 'simple')
                      or contains($how, 'inline') or contains($how, 'none')
                      or contains($how, 'runon')">plain</xsl:when>
      <xsl:otherwise>bulleted</xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:list | tei:listBibl | tei:listPerson | tei:listPlace | tei:listOrg
                       | tei:listEvent">
    <xsl:variable name="kind"><xsl:call-template name="list-kind"/></xsl:variable>
    <xsl:variable name="name">
      <xsl:choose>
        <xsl:when test="$kind = 'gloss'">dl</xsl:when>
        <xsl:when test="$kind = 'ordered' or $kind = 'labelled'">ol</xsl:when>
        <xsl:otherwise>ul</xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:apply-templates select="tei:head"/>
    <xsl:element name="{$name}">
      <xsl:call-template name="attrs">
        <xsl:with-param name="class" select="concat('list list-', $kind)"/>
      </xsl:call-template>
      <xsl:apply-templates select="node()[not(self::tei:head)]" mode="list-member">
        <xsl:with-param name="kind" select="$kind"/>
      </xsl:apply-templates>
    </xsl:element>
  </xsl:template>

  <xsl:template match="text()" mode="list-member">
    <xsl:if test="normalize-space() != ''"><li class="list-other"><xsl:value-of select="."/></li></xsl:if>
  </xsl:template>

  <xsl:template match="*" mode="list-member">
    <xsl:param name="kind"/>
    <xsl:variable name="name">
      <xsl:choose>
        <xsl:when test="$kind = 'gloss' and self::tei:label">dt</xsl:when>
        <xsl:when test="$kind = 'gloss'">dd</xsl:when>
        <xsl:otherwise>li</xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:element name="{$name}">
      <xsl:call-template name="attrs"/>
      <xsl:if test="$kind = 'labelled' and @n and string(number(@n)) != 'NaN'">
        <xsl:attribute name="value"><xsl:value-of select="number(@n)"/></xsl:attribute>
      </xsl:if>
      <xsl:variable name="label"><xsl:call-template name="item-label"/></xsl:variable>
      <xsl:if test="$label != ''">
        <span class="item-n"><xsl:value-of select="$label"/></span><xsl:text> </xsl:text>
      </xsl:if>
      <xsl:choose>
        <xsl:when test="self::tei:item or self::tei:label"><xsl:apply-templates/></xsl:when>
        <xsl:otherwise><xsl:apply-templates select="."/></xsl:otherwise>
      </xsl:choose>
      <xsl:call-template name="para-link"/>
    </xsl:element>
  </xsl:template>

  <!-- The label an item shows: its @n, unless its text already begins with it. -->
  <xsl:template name="item-label">
    <xsl:if test="@n and not(starts-with(normalize-space(.), @n))">
      <xsl:value-of select="@n"/>
      <xsl:if test="translate(substring(@n, string-length(@n)), '.):', '') != ''">.</xsl:if>
    </xsl:if>
  </xsl:template>

  <xsl:template match="tei:item | tei:label">
    <xsl:apply-templates select="." mode="list-member"/>
  </xsl:template>

  <xsl:template match="tei:list | tei:listBibl | tei:listPerson | tei:listPlace | tei:listOrg
                       | tei:listEvent" mode="txt">
    <xsl:variable name="kind"><xsl:call-template name="list-kind"/></xsl:variable>
    <xsl:apply-templates select="tei:head" mode="txt"/>
    <group><xsl:for-each select="*[not(self::tei:head)]">
      <line>
        <xsl:attribute name="prefix">
          <xsl:variable name="label"><xsl:call-template name="item-label"/></xsl:variable>
          <xsl:choose>
            <xsl:when test="$label != ''"><xsl:value-of select="concat($label, ' ')"/></xsl:when>
            <xsl:when test="@n or $kind = 'plain' or $kind = 'gloss'"/>
            <xsl:when test="$kind = 'ordered'">
              <xsl:value-of select="concat(count(preceding-sibling::tei:item) + 1, '. ')"/>
            </xsl:when>
            <xsl:otherwise>- </xsl:otherwise>
          </xsl:choose>
        </xsl:attribute>
        <xsl:choose>
          <xsl:when test="self::tei:item or self::tei:label"><xsl:apply-templates mode="txt"/></xsl:when>
          <xsl:otherwise><xsl:apply-templates select="." mode="txt"/></xsl:otherwise>
        </xsl:choose>
      </line>
    </xsl:for-each></group>
  </xsl:template>

  <!-- ================= tables ================= -->

  <xsl:template match="tei:table">
    <table>
      <xsl:call-template name="attrs"/>
      <xsl:if test="tei:head">
        <caption><xsl:apply-templates select="tei:head/node()"/></caption>
      </xsl:if>
      <xsl:for-each select="*[not(self::tei:head)]">
        <xsl:choose>
          <xsl:when test="self::tei:row"><xsl:apply-templates select="."/></xsl:when>
          <xsl:otherwise>
            <tr class="table-other"><td colspan="{count(../tei:row[1]/tei:cell) + 1}">
              <xsl:apply-templates select="."/></td></tr>
          </xsl:otherwise>
        </xsl:choose>
      </xsl:for-each>
    </table>
  </xsl:template>

  <xsl:template match="tei:row">
    <tr><xsl:call-template name="attrs"/><xsl:apply-templates/></tr>
  </xsl:template>

  <xsl:template match="tei:cell">
    <xsl:variable name="name">
      <xsl:choose>
        <xsl:when test="@role = 'label' or parent::tei:row/@role = 'label'">th</xsl:when>
        <xsl:otherwise>td</xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:element name="{$name}">
      <xsl:call-template name="attrs"/>
      <xsl:if test="number(@cols) &gt; 1">
        <xsl:attribute name="colspan"><xsl:value-of select="number(@cols)"/></xsl:attribute>
      </xsl:if>
      <xsl:if test="number(@rows) &gt; 1">
        <xsl:attribute name="rowspan"><xsl:value-of select="number(@rows)"/></xsl:attribute>
      </xsl:if>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="tei:row" mode="txt">
    <line>
      <xsl:for-each select="*">
        <xsl:if test="position() &gt; 1"> | </xsl:if>
        <xsl:apply-templates select="." mode="txt"/>
      </xsl:for-each>
    </line>
  </xsl:template>

  <xsl:template match="tei:table" mode="txt">
    <indent by="2"><xsl:apply-templates mode="txt"/></indent>
  </xsl:template>

  <!-- ================= figures ================= -->

  <xsl:template match="tei:figure">
    <figure>
      <xsl:call-template name="attrs"/>
      <xsl:if test="tei:head">
        <figcaption><xsl:apply-templates select="tei:head/node()"/></figcaption>
      </xsl:if>
      <xsl:apply-templates select="node()[not(self::tei:head)]"/>
    </figure>
  </xsl:template>

  <!-- Images are never loaded: a placeholder links to them. -->
  <xsl:template match="tei:graphic | tei:media | tei:binaryObject">
    <xsl:call-template name="url-link">
      <xsl:with-param name="url" select="@url"/>
      <xsl:with-param name="title" select="'Image (not loaded)'"/>
      <xsl:with-param name="label" select="'[Image]'"/>
      <xsl:with-param name="content" select="*"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:graphic | tei:media | tei:binaryObject" mode="txt">[Image]</xsl:template>
  <xsl:template match="tei:binaryObject/text()"/>
  <xsl:template match="tei:graphic/text() | tei:binaryObject/text()" mode="txt"/>

  <xsl:template match="tei:figDesc">
    <xsl:call-template name="block"/>
  </xsl:template>

  <xsl:template match="tei:figure" mode="txt">
    <indent by="2">
      <p>[Figure<xsl:if test="tei:head">: <xsl:apply-templates select="tei:head/node()" mode="txt"/></xsl:if>]
        <xsl:apply-templates select="tei:graphic | tei:figDesc" mode="txt"/></p>
      <xsl:apply-templates select="*[not(self::tei:head or self::tei:graphic or self::tei:figDesc)]"
          mode="txt"/>
    </indent>
  </xsl:template>

  <!-- ================= quotations ================= -->

  <xsl:template match="tei:quote | tei:cit | tei:q | tei:said">
    <xsl:variable name="blocky"><xsl:call-template name="blocky"/></xsl:variable>
    <xsl:choose>
      <xsl:when test="$blocky != ''">
        <blockquote><xsl:call-template name="attrs"/><xsl:apply-templates/></blockquote>
      </xsl:when>
      <xsl:otherwise>
        <span><xsl:call-template name="attrs"/><xsl:apply-templates/></span>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:quote | tei:cit | tei:q | tei:said" mode="txt">
    <xsl:variable name="blocky"><xsl:call-template name="blocky"/></xsl:variable>
    <xsl:choose>
      <xsl:when test="$blocky != ''">
        <indent by="4"><xsl:apply-templates mode="txt"/></indent>
      </xsl:when>
      <xsl:otherwise><xsl:apply-templates mode="txt"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- ================= phrase level ================= -->

  <xsl:template match="tei:hi | tei:foreign | tei:term | tei:mentioned | tei:soCalled | tei:gloss
                       | tei:distinct | tei:num | tei:measure | tei:code | tei:ident">
    <span><xsl:call-template name="attrs"/><xsl:apply-templates/></span>
  </xsl:template>

  <xsl:template match="tei:emph">
    <em><xsl:call-template name="attrs"/><xsl:apply-templates/></em>
  </xsl:template>

  <xsl:template match="tei:text//tei:title">
    <cite><xsl:call-template name="attrs"/><xsl:apply-templates/></cite>
  </xsl:template>

  <!-- ================= links ================= -->

  <xsl:template match="tei:ref">
    <xsl:variable name="first" select="substring-before(concat(normalize-space(@target), ' '), ' ')"/>
    <xsl:variable name="endnote" select="key('endnote', $first)"/>
    <xsl:variable name="href">
      <xsl:call-template name="href"><xsl:with-param name="pointer" select="@target"/></xsl:call-template>
    </xsl:variable>
    <xsl:choose>
      <xsl:when test="$endnote">
        <sup class="endnote-ref">
          <a href="{$href}">
            <xsl:if test="generate-id(key('ref-by-target', normalize-space(@target))[1]) = generate-id()">
              <xsl:attribute name="id"><xsl:value-of select="concat('ref-', $endnote/@xml:id)"/></xsl:attribute>
            </xsl:if>
            <xsl:call-template name="attrs"><xsl:with-param name="id" select="''"/></xsl:call-template>
            <xsl:apply-templates/>
          </a>
        </sup>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="link"><xsl:with-param name="href" select="$href"/></xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:ref" mode="txt">
    <xsl:variable name="first" select="substring-before(concat(normalize-space(@target), ' '), ' ')"/>
    <xsl:choose>
      <xsl:when test="key('endnote', $first)">
        <xsl:text>[^</xsl:text><xsl:apply-templates mode="txt"/><xsl:text>]</xsl:text>
      </xsl:when>
      <xsl:otherwise><xsl:apply-templates mode="txt"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:ptr">
    <xsl:variable name="href">
      <xsl:call-template name="href"><xsl:with-param name="pointer" select="@target"/></xsl:call-template>
    </xsl:variable>
    <xsl:choose>
      <xsl:when test="$href != ''">
        <a href="{$href}"><xsl:call-template name="attrs"/><xsl:value-of select="$href"/></a>
      </xsl:when>
      <xsl:otherwise>
        <span title="link removed"><xsl:call-template name="attrs">
          <xsl:with-param name="class" select="'unsafe'"/></xsl:call-template>[link]</span>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:ptr" mode="txt">
    <xsl:variable name="href">
      <xsl:call-template name="href"><xsl:with-param name="pointer" select="@target"/></xsl:call-template>
    </xsl:variable>
    <xsl:if test="$href != ''">&lt;<xsl:value-of select="$href"/>&gt;</xsl:if>
  </xsl:template>

  <!-- ================= milestones ================= -->

  <xsl:template match="tei:lb">
    <br>
      <xsl:call-template name="attrs"/>
    </br>
  </xsl:template>
  <xsl:template match="tei:lb" mode="txt"><br/></xsl:template>

  <xsl:template match="tei:pb">
    <xsl:call-template name="url-link">
      <xsl:with-param name="url" select="@facs[not(starts-with(normalize-space(.), '#'))]"/>
      <xsl:with-param name="title" select="'page break'"/>
      <xsl:with-param name="label"><xsl:if test="@n">[p. <xsl:value-of select="@n"/>]</xsl:if></xsl:with-param>
    </xsl:call-template>
  </xsl:template>
  <xsl:template match="tei:pb" mode="txt">
    <xsl:if test="@n"> [p. <xsl:value-of select="@n"/>] </xsl:if>
  </xsl:template>

  <xsl:template match="tei:cb | tei:milestone | tei:anchor | tei:gb">
    <span><xsl:call-template name="attrs"/></span>
  </xsl:template>
  <xsl:template match="tei:cb | tei:milestone | tei:anchor | tei:gb" mode="txt"/>

</xsl:stylesheet>
