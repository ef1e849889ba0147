<?xml version="1.0" encoding="UTF-8"?>
<!--
  transcr.xsl: editorial intervention and transcription (Guidelines ch. 3.5
  choice, 11 transcription, 12 critical apparatus) and the edition's own
  redactions: <seg type="redaction"> with the editors' <supplied
  reason="redacted"> proposal.  Every reading is shown: the source's first,
  the editorial or variant readings after it in brackets.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="tei">

  <!-- ================= redactions ================= -->

  <!-- "Editors' proposal: X (certainty: medium)" for a redaction's choice. -->
  <xsl:template name="proposal-text">
    <xsl:param name="supplied"/>
    <xsl:choose>
      <xsl:when test="$supplied">
        <xsl:text>Editors' proposal: </xsl:text>
        <xsl:value-of select="normalize-space($supplied)"/>
        <xsl:if test="$supplied/@cert">
          <xsl:value-of select="concat(' (certainty: ', $supplied/@cert, ')')"/>
        </xsl:if>
      </xsl:when>
      <xsl:otherwise>No proposal by the editors</xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="redaction">
    <xsl:param name="seg"/>
    <xsl:param name="supplied"/>
    <!-- numbered at the seg itself: the context may be the choice around it.
         render.py numbers them beforehand (@edition-redaction-number);
         xsl:number is the slow fallback for callers that run the stylesheet alone. -->
    <xsl:variable name="n">
      <xsl:for-each select="$seg[1]">
        <xsl:choose>
          <xsl:when test="@edition-redaction-number">
            <xsl:value-of select="@edition-redaction-number"/>
          </xsl:when>
          <xsl:otherwise><xsl:number level="any" count="tei:seg[@type = 'redaction']"/></xsl:otherwise>
        </xsl:choose>
      </xsl:for-each>
    </xsl:variable>
    <xsl:variable name="tip" select="concat('redaction-', $n)"/>
    <span class="redaction-group">
      <mark class="redaction" tabindex="0" aria-describedby="{$tip}">
        <xsl:attribute name="title">
          <xsl:text>Redacted in the source. </xsl:text>
          <xsl:call-template name="proposal-text">
            <xsl:with-param name="supplied" select="$supplied"/>
          </xsl:call-template>
        </xsl:attribute>
        <xsl:for-each select="$seg">
          <xsl:if test="@xml:id"><xsl:attribute name="id"><xsl:value-of select="@xml:id"/></xsl:attribute></xsl:if>
          <xsl:apply-templates/>
        </xsl:for-each>
      </mark>
      <span class="redaction-tip" role="tooltip" id="{$tip}">
        <xsl:choose>
          <xsl:when test="$supplied">
            <xsl:text>Editors' proposal: </xsl:text>
            <span class="proposal"><xsl:apply-templates select="$supplied/node()"/></span>
            <xsl:if test="$supplied/@cert">
              <xsl:value-of select="concat(' (certainty: ', $supplied/@cert, ')')"/>
            </xsl:if>
          </xsl:when>
          <xsl:otherwise>Redacted in the source; no proposal by the editors.</xsl:otherwise>
        </xsl:choose>
      </span>
    </span>
  </xsl:template>

  <xsl:template match="tei:choice[tei:seg[@type = 'redaction']]">
    <xsl:call-template name="redaction">
      <xsl:with-param name="seg" select="tei:seg[@type = 'redaction'][1]"/>
      <xsl:with-param name="supplied" select="tei:supplied[1]"/>
    </xsl:call-template>
    <xsl:apply-templates select="*[not(self::tei:seg[@type = 'redaction'][1] or self::tei:supplied[1])]"
        mode="alternative"/>
  </xsl:template>

  <xsl:template match="tei:seg[@type = 'redaction']">
    <xsl:call-template name="redaction"><xsl:with-param name="seg" select="."/></xsl:call-template>
  </xsl:template>

  <!-- Plain text: ***[Peng Dehuai?], the ? unless the editors are certain. -->
  <xsl:template match="tei:choice[tei:seg[@type = 'redaction']]" mode="txt">
    <xsl:apply-templates select="tei:seg[@type = 'redaction'][1]/node()" mode="txt"/>
    <xsl:for-each select="tei:supplied">
      <xsl:text>[</xsl:text>
      <xsl:apply-templates mode="txt"/>
      <xsl:if test="not(@cert = 'high')">?</xsl:if>
      <xsl:text>]</xsl:text>
    </xsl:for-each>
  </xsl:template>

  <!-- ================= choice and apparatus ================= -->

  <!-- A choice or an apparatus entry: the primary reading, then the other
       $readings in brackets, then what else the entry holds (notes). -->
  <xsl:template name="readings">
    <xsl:param name="readings"/>
    <xsl:param name="primary" select="$readings[1]"/>
    <xsl:param name="rest" select="/.."/>
    <xsl:variable name="others" select="$readings[count(. | $primary) != count($primary)]"/>
    <span>
      <xsl:call-template name="attrs"/>
      <span class="primary"><xsl:apply-templates select="$primary"/></span>
      <xsl:if test="$others">
        <span class="alternatives">
          <xsl:text> [</xsl:text>
          <xsl:for-each select="$others">
            <xsl:if test="position() &gt; 1">; </xsl:if>
            <xsl:apply-templates select="." mode="alternative"/>
          </xsl:for-each>
          <xsl:text>]</xsl:text>
        </span>
      </xsl:if>
      <xsl:apply-templates select="$rest"/>
    </span>
  </xsl:template>

  <xsl:template name="readings-txt">
    <xsl:param name="readings"/>
    <xsl:param name="primary" select="$readings[1]"/>
    <xsl:param name="rest" select="/.."/>
    <xsl:variable name="others" select="$readings[count(. | $primary) != count($primary)]"/>
    <xsl:apply-templates select="$primary" mode="txt"/>
    <xsl:if test="$others">
      <xsl:text> [</xsl:text>
      <xsl:for-each select="$others">
        <xsl:if test="position() &gt; 1">; </xsl:if>
        <xsl:call-template name="witness-prefix"/>
        <xsl:apply-templates select="." mode="txt"/>
        <xsl:if test="self::tei:rdg and not(node())">om.</xsl:if>
      </xsl:for-each>
      <xsl:text>]</xsl:text>
    </xsl:if>
    <xsl:apply-templates select="$rest" mode="txt"/>
  </xsl:template>

  <!-- The source's own member of a choice (sic, orig, abbr ...), else the first. -->
  <xsl:template match="tei:choice">
    <xsl:variable name="source" select="tei:sic | tei:orig | tei:abbr | tei:seg | tei:unclear"/>
    <xsl:call-template name="readings">
      <xsl:with-param name="readings" select="*"/>
      <xsl:with-param name="primary" select="$source[1] | *[1][not($source)]"/>
    </xsl:call-template>
  </xsl:template>
  <xsl:template match="tei:choice" mode="txt">
    <xsl:variable name="source" select="tei:sic | tei:orig | tei:abbr | tei:seg | tei:unclear"/>
    <xsl:call-template name="readings-txt">
      <xsl:with-param name="readings" select="*"/>
      <xsl:with-param name="primary" select="$source[1] | *[1][not($source)]"/>
    </xsl:call-template>
  </xsl:template>

  <!-- An apparatus entry: lemma first; readings in groups are flattened. -->
  <xsl:template match="tei:app">
    <xsl:variable name="readings" select=".//tei:lem | .//tei:rdg"/>
    <xsl:call-template name="readings">
      <xsl:with-param name="readings" select="$readings"/>
      <xsl:with-param name="primary" select="$readings[self::tei:lem][1] | $readings[1][not($readings[self::tei:lem])]"/>
      <xsl:with-param name="rest" select="*[not(self::tei:lem or self::tei:rdg or self::tei:rdgGrp)]
                                          | tei:rdgGrp/*[not(self::tei:lem or self::tei:rdg)]"/>
    </xsl:call-template>
  </xsl:template>
  <xsl:template match="tei:app" mode="txt">
    <xsl:variable name="readings" select=".//tei:lem | .//tei:rdg"/>
    <xsl:call-template name="readings-txt">
      <xsl:with-param name="readings" select="$readings"/>
      <xsl:with-param name="primary" select="$readings[self::tei:lem][1] | $readings[1][not($readings[self::tei:lem])]"/>
      <xsl:with-param name="rest" select="*[not(self::tei:lem or self::tei:rdg or self::tei:rdgGrp)]
                                          | tei:rdgGrp/*[not(self::tei:lem or self::tei:rdg)]"/>
    </xsl:call-template>
  </xsl:template>

  <!-- "A, B: " from @wit="#A #B". -->
  <xsl:template name="witness-prefix">
    <xsl:if test="@wit">
      <xsl:value-of select="translate(normalize-space(translate(@wit, '#', ' ')), ' ', ',')"/>
      <xsl:text>: </xsl:text>
    </xsl:if>
  </xsl:template>

  <xsl:template match="*" mode="alternative">
    <span>
      <xsl:call-template name="attrs"/>
      <xsl:attribute name="title">
        <xsl:choose>
          <xsl:when test="self::tei:corr">Correction</xsl:when>
          <xsl:when test="self::tei:reg">Regularisation</xsl:when>
          <xsl:when test="self::tei:expan">Expansion</xsl:when>
          <xsl:when test="self::tei:supplied">Supplied</xsl:when>
          <xsl:when test="self::tei:rdg or self::tei:lem">Reading</xsl:when>
          <xsl:otherwise>Alternative</xsl:otherwise>
        </xsl:choose>
        <xsl:if test="@resp"> by <xsl:value-of select="translate(@resp, '#', '')"/></xsl:if>
        <xsl:if test="@cert"> (certainty: <xsl:value-of select="@cert"/>)</xsl:if>
      </xsl:attribute>
      <xsl:if test="@wit">
        <span class="wit"><xsl:call-template name="witness-prefix"/></span>
      </xsl:if>
      <xsl:apply-templates/>
      <xsl:if test="self::tei:rdg and not(node())">om.</xsl:if>
    </span>
  </xsl:template>

  <xsl:template match="tei:sic | tei:corr | tei:orig | tei:reg | tei:abbr | tei:expan | tei:lem
                       | tei:rdg | tei:rdgGrp | tei:unclear | tei:damage | tei:subst
                       | tei:restore | tei:surplus | tei:secl | tei:mod | tei:retrace
                       | tei:handShift | tei:space | tei:am | tei:ex">
    <span><xsl:call-template name="attrs"/><xsl:apply-templates/></span>
  </xsl:template>

  <!-- A sic outside a choice is flagged as the source's own error. -->
  <xsl:template match="tei:sic[not(parent::tei:choice)]">
    <span><xsl:call-template name="attrs"/><xsl:apply-templates/></span>
    <span class="sic-mark"> [sic]</span>
  </xsl:template>
  <xsl:template match="tei:sic[not(parent::tei:choice)]" mode="txt">
    <xsl:apply-templates mode="txt"/> [sic]</xsl:template>

  <xsl:template match="tei:unclear" mode="txt">
    <xsl:apply-templates mode="txt"/>[?]</xsl:template>

  <!-- ================= supplied, gaps, deletions ================= -->

  <!-- Supplied text: a translator's brackets are in the source; other
       supplied text gets brackets here. -->
  <xsl:template match="tei:supplied">
    <xsl:variable name="bracketed" select="starts-with(normalize-space(.), '[')"/>
    <span>
      <xsl:call-template name="attrs">
        <xsl:with-param name="class">
          <xsl:call-template name="prefixed-tokens">
            <xsl:with-param name="list" select="translate(@resp, '#', '')"/>
            <xsl:with-param name="prefix" select="'resp-'"/>
          </xsl:call-template>
        </xsl:with-param>
      </xsl:call-template>
      <xsl:attribute name="title">
        <xsl:choose>
          <xsl:when test="@resp = '#translator'">Added by the translator</xsl:when>
          <xsl:when test="@resp">Supplied by <xsl:value-of select="translate(@resp, '#', '')"/></xsl:when>
          <xsl:otherwise>Supplied</xsl:otherwise>
        </xsl:choose>
        <xsl:if test="@reason"> (<xsl:value-of select="@reason"/>)</xsl:if>
      </xsl:attribute>
      <xsl:if test="not($bracketed)">[</xsl:if>
      <xsl:apply-templates/>
      <xsl:if test="not($bracketed)">]</xsl:if>
    </span>
  </xsl:template>
  <xsl:template match="tei:supplied" mode="txt">
    <xsl:variable name="bracketed" select="starts-with(normalize-space(.), '[')"/>
    <xsl:if test="not($bracketed)">[</xsl:if>
    <xsl:apply-templates mode="txt"/>
    <xsl:if test="not($bracketed)">]</xsl:if>
  </xsl:template>

  <xsl:template match="tei:gap">
    <span>
      <xsl:call-template name="attrs"/>
      <xsl:attribute name="title">
        <xsl:value-of select="normalize-space(concat('Omitted ', @reason, ' ', @quantity, ' ', @unit,
                              ' ', @extent))"/>
      </xsl:attribute>
      <xsl:text>[…</xsl:text>
      <xsl:if test="normalize-space(.) != ''"><xsl:text> </xsl:text><xsl:apply-templates/></xsl:if>
      <xsl:text>]</xsl:text>
    </span>
  </xsl:template>
  <xsl:template match="tei:gap" mode="txt">
    <xsl:text>[…</xsl:text>
    <xsl:if test="normalize-space(.) != ''"><xsl:text> </xsl:text><xsl:apply-templates mode="txt"/></xsl:if>
    <xsl:text>]</xsl:text>
  </xsl:template>

  <xsl:template match="tei:del">
    <del><xsl:call-template name="attrs"/><xsl:apply-templates/></del>
  </xsl:template>
  <xsl:template match="tei:del" mode="txt">[deleted: <xsl:apply-templates mode="txt"/>]</xsl:template>

  <xsl:template match="tei:add">
    <ins>
      <xsl:call-template name="attrs"/>
      <xsl:if test="@place"><xsl:attribute name="title">added <xsl:value-of select="@place"/></xsl:attribute></xsl:if>
      <xsl:apply-templates/>
    </ins>
  </xsl:template>

</xsl:stylesheet>
