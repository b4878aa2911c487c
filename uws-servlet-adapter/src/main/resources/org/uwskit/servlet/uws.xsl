<?xml version="1.0" encoding="UTF-8"?>
<!--
  Browser view of the UWS 1.1 documents served by uwskit's UwsServlet (CHECKLIST items 18-19).
  Job list: jobs with links, phase filters and a create-job form. Job: phase, times, parameters, results,
  error, and buttons RUN / ABORT / DELETE (forms posting PHASE=RUN, PHASE=ABORT and ACTION=DELETE).
  Rendered in the browser (from the xml-stylesheet instruction) the parameters below keep their defaults and form
  actions are relative to the document URL (/{jobs} for the list, /{jobs}/{id} for a job). Rendered on the server
  (UwsServlet answers text/html to clients that prefer it) they carry the absolute URLs of the list and the job.
  Output is HTML5: the processor adds the one charset declaration (meta http-equiv) itself.
  Rendered on the server for a job list, the document also holds an f:definitions element (added by HtmlView, never
  served) describing the job types and their declared parameters: the create form then has one field per parameter
  and works without JavaScript. Without it (client-side rendering) the form has the free-text parameter box.
-->
<xsl:stylesheet version="1.0"
                xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:uws="http://www.ivoa.net/xml/UWS/v1.0"
                xmlns:xlink="http://www.w3.org/1999/xlink"
                xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                xmlns:f="urn:uwskit:html-form"
                exclude-result-prefixes="uws xlink xsi f">

  <xsl:output method="html" encoding="UTF-8" indent="yes" doctype-system="about:legacy-compat"/>

  <!-- absolute URL of the job list, or empty (then relative URLs are used) -->
  <xsl:param name="listUrl" select="''"/>
  <!-- absolute URL of the job a job, results or parameters document belongs to, or empty -->
  <xsl:param name="jobUrl" select="''"/>
  <!-- when the job list was cut for the page: the number of jobs shown; else empty -->
  <xsl:param name="truncated" select="''"/>

  <xsl:template name="page">
    <xsl:param name="title"/>
    <xsl:param name="body"/>
    <html lang="en">
      <head>
        <title><xsl:value-of select="$title"/></title>
        <style>
          body { font-family: sans-serif; margin: 1.5em; }
          table { border-collapse: collapse; }
          td, th { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
          .phase { font-weight: bold; }
          .actions { margin: 0.5em 0 1em 0; }
          .actions form { display: inline; margin-right: 0.5em; }
          textarea { width: 40em; height: 6em; }
          .error { color: #a00; }
          table.fields th { font-weight: normal; }
          .required { color: #a00; }
          .hint { color: #555; font-size: 90%; }
        </style>
      </head>
      <body>
        <h1><xsl:value-of select="$title"/></h1>
        <xsl:if test="$listUrl != ''">
          <p class="hint"><a id="manager" href="{$listUrl}/../_manager/">Job manager</a> (live updates and previews;
            needs JavaScript)</p>
        </xsl:if>
        <xsl:copy-of select="$body"/>
      </body>
    </html>
  </xsl:template>

  <!-- /{jobs} -->
  <xsl:template match="/uws:jobs">
    <xsl:call-template name="page">
      <xsl:with-param name="title">UWS job list</xsl:with-param>
      <xsl:with-param name="body">
        <p>Show:
          <a href="?">active and finished</a> |
          <a href="?PHASE=PENDING">pending</a> |
          <a href="?PHASE=QUEUED&amp;PHASE=EXECUTING">running</a> |
          <a href="?PHASE=COMPLETED">completed</a> |
          <a href="?PHASE=ERROR&amp;PHASE=ABORTED">failed</a> |
          <a href="?PHASE=ARCHIVED">archived</a> |
          <a href="?LAST=20">last 20</a>
        </p>
        <table id="jobs">
          <tr><th>job</th><th>phase</th><th>runId</th><th>owner</th><th>created</th></tr>
          <xsl:for-each select="uws:jobref">
            <tr>
              <td><a href="{@xlink:href}"><xsl:value-of select="@id"/></a></td>
              <td class="phase"><xsl:value-of select="uws:phase"/></td>
              <td><xsl:value-of select="uws:runId"/></td>
              <td><xsl:value-of select="uws:ownerId"/></td>
              <td><xsl:value-of select="uws:creationTime"/></td>
            </tr>
          </xsl:for-each>
        </table>
        <xsl:if test="not(uws:jobref)"><p>No jobs.</p></xsl:if>
        <xsl:if test="$truncated != ''">
          <p id="truncated">Showing the first <xsl:value-of select="$truncated"/> jobs only: narrow the list with the
            filters above (or <code>LAST</code>, <code>AFTER</code>).</p>
        </xsl:if>
        <xsl:choose>
          <xsl:when test="f:definitions/f:definition">
            <xsl:apply-templates select="f:definitions/f:definition" mode="create"/>
          </xsl:when>
          <xsl:otherwise>
            <h2>Create a job</h2>
            <form id="create" method="post" onsubmit="return uwsCreate(this)">
              <xsl:if test="$listUrl != ''"><xsl:attribute name="action"><xsl:value-of select="$listUrl"/></xsl:attribute></xsl:if>
              <p>Parameters, one <code>name=value</code> per line:<br/>
                <textarea id="uws-params" class="uws-params"></textarea></p>
              <p>RUNID: <input type="text" name="RUNID"/>
                <label><input type="checkbox" name="PHASE" value="RUN"/> run at once (PHASE=RUN)</label></p>
              <p><input type="submit" value="Create"/></p>
            </form>
          </xsl:otherwise>
        </xsl:choose>
        <script>
          function uwsCreate(form) {
            if (!form.getAttribute('action')) { form.action = window.location.pathname; }
            var box = form.querySelector('textarea.uws-params');
            var lines = box ? box.value.split(/\r?\n/) : [];
            for (var i = 0; i &lt; lines.length; i++) {
              var eq = lines[i].indexOf('=');
              if (eq &lt; 1) { continue; }
              var input = document.createElement('input');
              input.type = 'hidden';
              input.name = lines[i].substring(0, eq).trim();
              input.value = lines[i].substring(eq + 1);
              form.appendChild(input);
            }
            if (form.RUNID.value === '') { form.RUNID.disabled = true; }
            return true;
          }
        </script>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- one creation form per job type, from the description of the job definitions that HtmlView adds to the
       document it transforms on the server (never served: the UWS documents do not carry it) -->
  <xsl:template match="f:definition" mode="create">
    <xsl:variable name="fid">
      <xsl:choose>
        <xsl:when test="../@selector">create-<xsl:value-of select="@name"/></xsl:when>
        <xsl:otherwise>create</xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <h2>Create a job<xsl:if test="../@selector"> of type <code><xsl:value-of select="@name"/></code></xsl:if></h2>
    <xsl:if test="@description"><p><xsl:value-of select="@description"/></p></xsl:if>
    <form id="{$fid}" method="post" action="{$listUrl}" onsubmit="return uwsCreate(this)">
      <xsl:if test="f:parameter[@type = 'FILE']"><xsl:attribute name="enctype">multipart/form-data</xsl:attribute></xsl:if>
      <xsl:if test="../@selector"><input type="hidden" name="{../@selector}" value="{@name}"/></xsl:if>
      <xsl:if test="f:parameter">
        <table class="fields">
          <xsl:for-each select="f:parameter">
            <tr>
              <th><label for="{$fid}-{@name}">
                <xsl:if test="@description"><xsl:attribute name="title"><xsl:value-of select="@description"/></xsl:attribute></xsl:if>
                <xsl:value-of select="@name"/>
                <xsl:if test="@required = 'true'"><xsl:text> </xsl:text><span class="required" title="required">*</span></xsl:if>
              </label></th>
              <td><xsl:apply-templates select="." mode="field"><xsl:with-param name="id" select="concat($fid, '-', @name)"/></xsl:apply-templates>
                <xsl:if test="@unit"><xsl:text> </xsl:text><xsl:value-of select="@unit"/></xsl:if></td>
              <td class="hint"><xsl:value-of select="@description"/></td>
            </tr>
          </xsl:for-each>
        </table>
        <xsl:if test="f:parameter[@required = 'true']"><p class="hint"><span class="required">*</span> required</p></xsl:if>
      </xsl:if>
      <xsl:if test="@strict != 'true'">
        <p>Other parameters, one <code>name=value</code> per line (needs JavaScript):<br/>
          <textarea class="uws-params"></textarea></p>
      </xsl:if>
      <p>RUNID: <input type="text" name="RUNID"/>
        <label><input type="checkbox" name="PHASE" value="RUN"/> run at once (PHASE=RUN)</label></p>
      <p><input type="submit" value="Create"/></p>
    </form>
  </xsl:template>

  <xsl:template match="f:parameter" mode="field">
    <xsl:param name="id"/>
    <xsl:choose>
      <xsl:when test="@type = 'BOOLEAN' or @type = 'ENUMERATED'">
        <select id="{$id}" name="{@name}">
          <xsl:if test="@required = 'true'"><xsl:attribute name="required">required</xsl:attribute></xsl:if>
          <xsl:if test="@multiple = 'true' and @type = 'ENUMERATED'"><xsl:attribute name="multiple">multiple</xsl:attribute></xsl:if>
          <xsl:if test="not(@default) and not(@multiple = 'true' and @type = 'ENUMERATED')"><option value="">(none)</option></xsl:if>
          <xsl:variable name="default" select="@default"/>
          <xsl:choose>
            <xsl:when test="@type = 'BOOLEAN'">
              <option value="true"><xsl:if test="$default = 'true'"><xsl:attribute name="selected">selected</xsl:attribute></xsl:if>true</option>
              <option value="false"><xsl:if test="$default = 'false'"><xsl:attribute name="selected">selected</xsl:attribute></xsl:if>false</option>
            </xsl:when>
            <xsl:otherwise>
              <xsl:for-each select="f:option">
                <option value="{.}"><xsl:if test=". = $default"><xsl:attribute name="selected">selected</xsl:attribute></xsl:if><xsl:value-of select="."/></option>
              </xsl:for-each>
            </xsl:otherwise>
          </xsl:choose>
        </select>
      </xsl:when>
      <xsl:otherwise>
        <input id="{$id}" name="{@name}">
          <xsl:attribute name="type">
            <xsl:choose>
              <xsl:when test="@type = 'INTEGER' or @type = 'REAL'">number</xsl:when>
              <xsl:when test="@type = 'FILE'">file</xsl:when>
              <xsl:when test="@type = 'URI'">url</xsl:when>
              <xsl:otherwise>text</xsl:otherwise>
            </xsl:choose>
          </xsl:attribute>
          <xsl:if test="@type = 'INTEGER'"><xsl:attribute name="step">1</xsl:attribute></xsl:if>
          <xsl:if test="@type = 'REAL'"><xsl:attribute name="step">any</xsl:attribute></xsl:if>
          <xsl:if test="@type = 'INSTANT'"><xsl:attribute name="placeholder">2030-01-31T12:00:00Z</xsl:attribute></xsl:if>
          <xsl:if test="@min and (@type = 'INTEGER' or @type = 'REAL')"><xsl:attribute name="min"><xsl:value-of select="@min"/></xsl:attribute></xsl:if>
          <xsl:if test="@max and (@type = 'INTEGER' or @type = 'REAL')"><xsl:attribute name="max"><xsl:value-of select="@max"/></xsl:attribute></xsl:if>
          <xsl:if test="@default and @type != 'FILE'"><xsl:attribute name="value"><xsl:value-of select="@default"/></xsl:attribute></xsl:if>
          <xsl:if test="@required = 'true'"><xsl:attribute name="required">required</xsl:attribute></xsl:if>
          <xsl:if test="@description"><xsl:attribute name="title"><xsl:value-of select="@description"/></xsl:attribute></xsl:if>
        </input>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- /{jobs}/{id} -->
  <xsl:template match="/uws:job">
    <xsl:variable name="id" select="uws:jobId"/>
    <xsl:variable name="self">
      <xsl:choose>
        <xsl:when test="$jobUrl != ''"><xsl:value-of select="$jobUrl"/></xsl:when>
        <xsl:otherwise><xsl:value-of select="$id"/></xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:variable name="list">
      <xsl:choose>
        <xsl:when test="$listUrl != ''"><xsl:value-of select="$listUrl"/></xsl:when>
        <xsl:otherwise>.</xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:call-template name="page">
      <xsl:with-param name="title">UWS job <xsl:value-of select="$id"/></xsl:with-param>
      <xsl:with-param name="body">
        <p><a href="{$list}">back to the job list</a> | <a href="{$self}">reload</a>
          | <a href="{$self}?WAIT=30&amp;PHASE={uws:phase}">wait for a change</a></p>
        <div class="actions">
          <form id="run" method="post" action="{$self}/phase">
            <input type="hidden" name="PHASE" value="RUN"/><input type="submit" value="RUN"/>
          </form>
          <form id="abort" method="post" action="{$self}/phase">
            <input type="hidden" name="PHASE" value="ABORT"/><input type="submit" value="ABORT"/>
          </form>
          <form id="delete" method="post" action="{$self}">
            <input type="hidden" name="ACTION" value="DELETE"/><input type="submit" value="DELETE"/>
          </form>
        </div>
        <table id="job">
          <tr><th>phase</th><td class="phase"><xsl:value-of select="uws:phase"/></td></tr>
          <tr><th>runId</th><td><xsl:value-of select="uws:runId"/></td></tr>
          <tr><th>owner</th><td><xsl:value-of select="uws:ownerId"/></td></tr>
          <tr><th>created</th><td><xsl:value-of select="uws:creationTime"/></td></tr>
          <tr><th>started</th><td><xsl:value-of select="uws:startTime"/></td></tr>
          <tr><th>ended</th><td><xsl:value-of select="uws:endTime"/></td></tr>
          <tr><th>quote</th><td><xsl:value-of select="uws:quote"/></td></tr>
          <tr><th>execution duration (s)</th><td><xsl:value-of select="uws:executionDuration"/></td></tr>
          <tr><th>destruction</th><td><xsl:value-of select="uws:destruction"/></td></tr>
        </table>
        <xsl:if test="uws:errorSummary">
          <h2 class="error">Error (<xsl:value-of select="uws:errorSummary/@type"/>)</h2>
          <p class="error"><xsl:value-of select="uws:errorSummary/uws:message"/></p>
          <xsl:if test="uws:errorSummary/@hasDetail = 'true'">
            <p><a href="{$self}/error">details</a></p>
          </xsl:if>
        </xsl:if>
        <h2>Parameters</h2>
        <xsl:apply-templates select="uws:parameters" mode="table"/>
        <h2>Results</h2>
        <xsl:apply-templates select="uws:results" mode="table"/>
        <xsl:if test="uws:jobInfo/*">
          <h2>Job info</h2>
          <table id="jobinfo">
            <xsl:for-each select="uws:jobInfo/*">
              <tr><th><xsl:value-of select="local-name()"/></th><td><xsl:value-of select="."/></td></tr>
            </xsl:for-each>
          </table>
        </xsl:if>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="/uws:results">
    <xsl:call-template name="page">
      <xsl:with-param name="title">UWS results</xsl:with-param>
      <xsl:with-param name="body">
        <xsl:if test="$jobUrl != ''"><p><a href="{$jobUrl}">back to the job</a></p></xsl:if>
        <xsl:apply-templates select="." mode="table"/>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="/uws:parameters">
    <xsl:call-template name="page">
      <xsl:with-param name="title">UWS parameters</xsl:with-param>
      <xsl:with-param name="body">
        <xsl:if test="$jobUrl != ''"><p><a href="{$jobUrl}">back to the job</a></p></xsl:if>
        <xsl:apply-templates select="." mode="table"/>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="uws:parameters" mode="table">
    <table id="parameters">
      <tr><th>name</th><th>value</th></tr>
      <xsl:for-each select="uws:parameter">
        <tr>
          <td><xsl:value-of select="@id"/></td>
          <td>
            <xsl:choose>
              <xsl:when test="@byReference = 'true'"><a href="{.}"><xsl:value-of select="."/></a></xsl:when>
              <xsl:otherwise><xsl:value-of select="."/></xsl:otherwise>
            </xsl:choose>
          </td>
        </tr>
      </xsl:for-each>
    </table>
  </xsl:template>

  <xsl:template match="uws:results" mode="table">
    <xsl:choose>
      <xsl:when test="uws:result">
        <table id="results">
          <tr><th>result</th><th>type</th><th>size (bytes)</th></tr>
          <xsl:for-each select="uws:result">
            <tr>
              <td><a href="{@xlink:href}"><xsl:value-of select="@id"/></a></td>
              <td><xsl:value-of select="@mime-type"/></td>
              <td><xsl:value-of select="@size"/></td>
            </tr>
          </xsl:for-each>
        </table>
      </xsl:when>
      <xsl:otherwise><p>No results yet.</p></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
