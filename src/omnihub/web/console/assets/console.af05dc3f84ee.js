/*! omnihub console (Apache-2.0). Bundles Preact (MIT) and htm (Apache-2.0): licences and versions in vendor/ next to this folder. */
var xe=new URL("../",import.meta.url),me=new URL("../api/v1/",xe);function tn(e){let t=new URL("../ws",xe);return t.protocol=t.protocol==="https:"?"wss:":"ws:",e!=null&&t.searchParams.set("since",String(e)),t}var k=class extends Error{},B=class extends Error{constructor(t,n){super(n||`HTTP ${t}`),this.status=t}},st=new Set;function rn(e){return st.add(e),()=>st.delete(e)}function it(){for(let e of[...st])e()}async function fs(e){try{let t=await e.json();return typeof t.detail=="string"?t.detail:Array.isArray(t.detail)?t.detail.map(n=>n.msg).filter(Boolean).join("; "):""}catch{return""}}async function E(e,t,{body:n,query:o,signInAttempt:r=!1}={}){let s=new URL(t,me);for(let[u,d]of Object.entries(o||{}))d!=null&&s.searchParams.set(u,String(d));let a={method:e,credentials:"same-origin",headers:{Accept:"application/json"}};n!==void 0&&(a.body=JSON.stringify(n),a.headers["Content-Type"]="application/json");let l=await fetch(s,a);if(l.status===401&&!r)throw it(),new k;if(!l.ok)throw new B(l.status,await fs(l));return l.status===204?null:l.json()}var I=e=>encodeURIComponent(String(e)),re=async e=>(await E("GET",e)).items,nn=Promise.resolve(),on=e=>nn=nn.catch(()=>{}).then(e),x={signIn:(e,t)=>E("POST","auth/login",{body:{email:e,password:t},signInAttempt:!0}),signOut:()=>E("POST","auth/logout"),probeSession:()=>E("GET","me"),listConversations:(e,t)=>E("GET","conversations",{query:{...e,cursor:t,limit:25}}),listInboxes:()=>re("inboxes"),listTeams:()=>re("teams"),updateMe:e=>E("PATCH","me",{body:e}),countConversations:()=>E("GET","conversations/counts"),getConversation:e=>E("GET",`conversations/${I(e)}`),updateConversation:(e,t)=>E("PATCH",`conversations/${I(e)}`,{body:t}),markRead:e=>on(()=>E("POST",`conversations/${I(e)}/read`,{body:{}})),markUnread:e=>on(()=>E("POST",`conversations/${I(e)}/unread`)),getDraft:e=>E("GET",`conversations/${I(e)}/draft`),saveDraft:(e,t,n)=>E("PUT",`conversations/${I(e)}/draft`,{body:{content:t,private:n}}),deleteDraft:e=>E("DELETE",`conversations/${I(e)}/draft`),listMessagesNewestFirst:(e,t,n)=>E("GET",`conversations/${I(e)}/messages`,{query:{cursor:t,limit:n,order:"desc"}}),postMessage:(e,t,n,o={})=>E("POST",`conversations/${I(e)}/messages`,{body:{content:t,private:n,...o}}),attachmentLimits:()=>E("GET","attachments/limits"),getContact:e=>E("GET",`contacts/${I(e)}`),searchContacts:(e,t=10)=>E("GET","contacts",{query:{q:e,limit:t}}),startConversation:e=>E("POST","conversations",{body:e}),renameContact:(e,t)=>E("PATCH",`contacts/${I(e)}`,{body:{name:t}}),mergeContact:(e,t)=>E("POST",`contacts/${I(e)}/merge`,{body:{other_id:t}}),listInboxMembers:e=>E("GET",`inboxes/${I(e)}/members`)},C={setupState:()=>E("GET","setup"),completeSetup:e=>E("POST","setup",{body:e,signInAttempt:!0}),listInboxes:()=>re("inboxes"),createInbox:(e,t,n)=>E("POST","inboxes",{body:{name:e,channel_type:t,config:n}}),listMemberIds:e=>E("GET",`inboxes/${I(e)}/members`),addMember:(e,t)=>E("POST",`inboxes/${I(e)}/members`,{body:{user_id:t}}),removeMember:(e,t)=>E("DELETE",`inboxes/${I(e)}/members/${I(t)}`),listUsers:()=>re("users"),createUser:e=>E("POST","users",{body:e}),deactivateUser:e=>E("POST",`users/${I(e)}/deactivate`),updateInbox:(e,t)=>E("PATCH",`inboxes/${I(e)}`,{body:t}),syncStatus:e=>E("GET",`inboxes/${I(e)}/sync`),listQuarantine:(e,t)=>E("GET",`inboxes/${I(e)}/quarantine`,{query:{cursor:t}}),retryQuarantined:(e,t)=>E("POST",`inboxes/${I(e)}/quarantine/${I(t)}/retry`),setRole:(e,t)=>E("PUT",`users/${I(e)}/role`,{body:{role:t}}),listTeams:()=>re("teams"),createTeam:e=>E("POST","teams",{body:{name:e}}),listTeamMemberIds:e=>E("GET",`teams/${I(e)}/members`),addTeamMember:(e,t)=>E("POST",`teams/${I(e)}/members`,{body:{user_id:t}}),removeTeamMember:(e,t)=>E("DELETE",`teams/${I(e)}/members/${I(t)}`),listTokens:()=>re("tokens"),createToken:e=>E("POST","tokens",{body:e}),revokeToken:e=>E("DELETE",`tokens/${I(e)}`)};function sn(e,t){return new URL(`inboxes/${I(e)}/quarantine/${I(t)}/raw`,me).href}var M,cn,$s,z,at,Ee,un,ke,mn,ct,lt,_s,pe=Symbol.for("pv"),Ie={},Oe=[],gs=/^m(i|n|o|s|text|space)$/,ut=Array.isArray,mt=Oe.slice,ee=Object.assign;function Z(e){e&&e.parentNode&&e.remove()}function dt(e,t,n){var o,r,s,a={},l=arguments.length;for(s in t)s=="key"?o=t[s]:s=="ref"&&typeof e!="function"?r=t[s]:a[s]=t[s];return l>2&&(a.children=l>3?mt.call(arguments,2):n),de(e,a,o,r,null)}function de(e,t,n,o,r){var s={type:e,props:t,key:n,ref:o,__k:null,__:null,__b:0,__e:null,__c:null,constructor:pe,__v:r||++cn,__i:-1,__u:0};return!r&&M.vnode&&M.vnode(s),s}function Me(e){return e.children}function Te(e,t){this.props=e,this.context=t,this.__g=0}function G(e,t){if(t==null)return e.__&&G(e.__,e.__i+1);for(var n;t<e.__k.length;t++)if((n=e.__k[t])&&n.__e)return n.__e;return typeof e.type!="function"||e.props.__P?null:G(e)}function hs(e){var t,n=e.__v,o=n.__e,r=[],s=[],a=e.__P;a&&((t=ee({constructor:pe},n)).__v=n.__v+1,M.vnode&&M.vnode(t),pt(a,t,n,e.__n,a.namespaceURI,32&n.__u?[o]:null,r,o||G(n),32&n.__u,s),t.__v=n.__v,t.__.__k[t.__i]=t,gn(r,t,s),n.__=n.__e=null,t.__e!=o&&dn(t))}function dn(e){if((e=e.__)&&e.__c&&!e.props.__P)return e.__e=null,e.__k.some(function(t){return t&&(e.__e=t.__e)}),dn(e)}function an(e){(8&e.__g||(e.__g|=8,z.push(e),Ee++))&&at==M.debounceRendering||((at=M.debounceRendering)||queueMicrotask)(pn)}function pn(){try{for(var e,t=1;z.length;)z.length>t&&z.sort(un),e=z.shift(),t=z.length,8&e.__g&&hs(e)}finally{(Ee=z.length)&&(at||queueMicrotask)(pn)}}function fn(e,t,n,o,r,s,a,l,u,d,m){var $,_,p,b,h,S,y=o.__k||Oe,T=t.length;for(u=bs(n,t,y,u,T),$=0;$<T;$++)(p=n.__k[$])!=null&&(_=~p.__i&&y[p.__i]||Ie,p.__i=$,S=pt(e,p,_,r,s,a,l,u,d,m),b=p.__e,(_.ref!=p.ref||8&_.__u)&&(_.ref&&ft(_.ref,null,p,_),p.ref&&m.push(p.ref,p.__c||b,p)),h=h||b,4&p.__u?(u=$n(p,u,e,!_.__v),_.__e&&(_.__e=null)):typeof p.type=="function"&&S!==void 0?u=S:b&&(u=b.nextSibling),p.__u&=-21);return n.__e=h,u}function bs(e,t,n,o,r){var s,a,l,u,d,m,$,_,p,b=n.length,h=b,S=0,y=0,T=e.__k=Array(r);for(s=0;s<r;s++)(a=t[s])!=null&&typeof a!="boolean"&&typeof a!="function"?(typeof a!="object"||a.constructor===String?a=T[s]=de(null,a):ut(a)?a=T[s]=de(Me,{children:a}):a.constructor===pe&&a.__b?a=T[s]=de(a.type,a.props,a.key,a.ref,a.__v):T[s]=a,u=s+S,a.__=e,a.__b=e.__b+1,l=null,~(d=a.__i=ys(a,n,u,h))&&(h--,(l=n[d])&&(l.__u|=2)),l&&l.__v?(a.__u|=16,d==u-1?S--:d==u+1?S++:d!=u&&(d>u?S--:S++,y=1)):(~d||(r>b?S--:r<b&&S++),typeof a.type!="function"&&(a.__u|=4))):T[s]=null;if(y){for(m=[],$=[],s=0;s<r;s++)if((a=T[s])&&16&a.__u){for(S=0,_=m.length;S<_;)m[p=S+_>>1]<a.__i?S=p+1:_=p;m[S]=a.__i,$[s]=S+1}for(S=m.length;s--;)$[s]&&($[s]==S?S--:T[s].__u|=4)}if(h)for(s=0;s<b;s++)!(l=n[s])||2&l.__u||(l.__e==o&&(o=G(l)),$t(l,l));return o}function $n(e,t,n,o){var r,s,a,l;if(typeof e.type=="function"){if(e.props.__P)return t;if(r=e.__k)for(s=0;s<r.length;s++)r[s]&&(r[s].__=e,t=$n(r[s],t,n,!1));return t}for(t&&!t.parentNode&&(t=G(e))&&!t.parentNode&&(t=null),a=e.__e,l=t;l&&l.nodeType==8;)l=l.nextSibling;for(a!=l&&(!o&&n.moveBefore&&a.parentNode?n.moveBefore(a,t):n.insertBefore(a,t||null)),t=a;(t=t&&t.nextSibling)&&t.nodeType==8&&!t.data.startsWith("$s"););return t}function ys(e,t,n,o){var r,s=e.key,a=e.type,l=t[n],u=l&&!(2&l.__u);if(l===null&&s==null||u&&s==l.key&&a==l.type)return n;if(o>(u?1:0)){for(r=n-1;r>=0;r--)if((l=t[r])&&!(2&l.__u)&&s==l.key&&a==l.type)return r;for(r=n+1;r<t.length;r++)if((l=t[r])&&!(2&l.__u)&&s==l.key&&a==l.type)return r}return-1}function ln(e,t,n){n==null&&(n=""),t[0]=="-"?e.setProperty(t,n):e[t]=n}function Se(e,t,n,o,r){var s,a;if(t=="style")if(typeof n=="string")e.style.cssText=n;else{if(typeof o=="string"&&(e.style.cssText=o=""),o)for(t in o)n&&t in n||ln(e.style,t);if(n)for(t in n)o&&n[t]==o[t]||ln(e.style,t,n[t])}else if(t[0]=="o"&&t[1]=="n")typeof n!="function"&&(n=null),typeof o!="function"&&(o=null),(e.__e||(e.__e={}))[t]=n,n&&o||(a=lt[t]||(lt[t]=vs(t)),(e.__a||(e.__a={}))[t]=ct,s=t!=(t=t.replace(mn,"$1")),(t=t.slice(2))[0]<"a"&&(t=t.toLowerCase()),n?e.addEventListener(t,a,s):e.removeEventListener(t,a,s));else{if(r=="http://www.w3.org/2000/svg")t=t.replace(/xlink(H|:h)/,"h").replace(/sName$/,"s");else if(t!="width"&&t!="height"&&t!="href"&&t!="list"&&t!="form"&&t!="tabIndex"&&t!="download"&&t!="rowSpan"&&t!="colSpan"&&t!="role"&&t!="popover"&&t in e)try{return void(e[t]=n??"")}catch{}if(typeof n=="function")return;n==null||n===!1&&t[4]!="-"?e.removeAttribute(t):e.setAttribute(t,t=="popover"&&n==1?"":n)}}function vs(e){return function(t){var n=this.__e;if(n){if(n=n[e],t[ke]==null)t[ke]=ct++;else if(t[ke]<this.__a[e])return;return n(M.event?M.event(t):t)}}}function pt(e,t,n,o,r,s,a,l,u,d){var m,$,_,p,b,h,S,y,T,O,v,N,P,oe,A,J,V,X,K=t.type;if(t.constructor!==pe)return null;128&n.__u&&(u=32&n.__u,m=n.__c.__z)&&(t.__u|=u,$=s=[],m.nodeType==8?l=Ce(m,s):s.push(m),l=s[0]||l),(m=M.__b)&&m(t);e:if(typeof K=="function"){_=a.length;try{if(y=t.props,T=(m=K.prototype)&&m.render,O=(m=K.contextType)&&o[m.__c],v=m?O?O.props.value:m.__:o,(p=n.__c)?(t.__c=p,2&p.__g&&(p.__g|=1)):(T?t.__c=p=new K(y,v):(t.__c=p=new Te(y,v),p.constructor=K,p.render=xs),O&&O.sub(p),p.state||(p.state={}),p.__n=o,p.__g|=8,p.__h=[],p.__k=[]),T&&(p.__s||(p.__s=p.state),K.getDerivedStateFromProps&&(p.__s==p.state&&(p.__s=ee({},p.__s)),ee(p.__s,K.getDerivedStateFromProps(y,p.__s)))),b=p.props,h=p.state,p.__v=t,n.__c){if(y!==b&&T&&!K.getDerivedStateFromProps&&p.componentWillReceiveProps&&p.componentWillReceiveProps(y,v),t.__v==n.__v&&!(8&p.__g)||!(4&p.__g)&&p.shouldComponentUpdate&&p.shouldComponentUpdate(y,p.__s,v)===!1){t.__v!=n.__v&&(p.props=y,p.state=p.__s,p.__g&=-9),t.__e=n.__e,t.__k=n.__k,t.__k.some(function(H){H&&(H.__=t)}),Oe.push.apply(p.__h,p.__k),p.__k=[],p.__h.length&&a.push(p),l=G(n);break e}p.componentWillUpdate&&p.componentWillUpdate(y,p.__s,v),T&&p.componentDidUpdate&&p.__h.push(function(){p.componentDidUpdate(b,h,S)})}else T&&!K.getDerivedStateFromProps&&p.componentWillMount&&p.componentWillMount(),T&&p.componentDidMount&&p.__h.push(p.componentDidMount);p.context=v,p.props=y,p.__P=e,p.__g&=-5,N=M.__r,P=T?25:0;do p.__g&=-9,N&&N(t),m=p.render(p.props,p.state=p.__s,p.context);while(8&p.__g&&++P<25);T&&(Oe.push.apply(p.__h,p.__k),p.__k=[]),p.state=p.__s,p.getChildContext&&(o=ee({},o,p.getChildContext())),T&&n.__c&&p.getSnapshotBeforeUpdate&&(S=p.getSnapshotBeforeUpdate(b,h)),oe=m&&m.type===Me&&m.key==null?m.props.children:m,y.__P&&(m=l,r=(e=y.__P).namespaceURI,u=s=null,n.props&&n.props.__P!=e&&(n.__k.some(function(H){H&&$t(H,H)}),n.__k=null),l=n.__k?G(n,0):null),l=fn(e,ut(oe)?oe:[oe],t,n,o,r,s,a,l,u,d),y.__P&&(t.__e=null,l=m),t.__u&=-161,$&&$.some(Z),p.__h.length&&a.push(p),1&p.__g&&(p.__g&=-4)}catch(H){if(a.length=_,t.__v=null,u||s)if(H&&H.then){if(t.__u|=128|u,s){for(~(V=s.indexOf(l||void 0))||(V=s.length);(X=s[V-1])&&X.nodeType==8;)V--;for(;V<s.length;V++)if(X=s[V])if(s[V]=null,A){if(X==J)break}else{if(X.nodeType!=8)break;X.data.startsWith("$s")&&(J=Ce(A=X))}}if(!A){for(;l&&l.nodeType==8&&l.nextSibling;)l=l.nextSibling;A=l}(m=Ce(A=t.__c.__z||(t.__c.__z=A)))?(t.__e=A,l=m):t.__e=l,l=l&&l.nextSibling}else s&&s.some(Z);else t.__e=n.__e;t.__k||(t.__k=n.__k||[]),H&&H.then||_n(t),M.__e(H,t,n)}}else l=t.__e=ws(n.__e,t,n,o,r,s,a,u,d,e);return(m=M.diffed)&&m(t),l}function Ce(e,t){if(e&&e.nodeType==8&&e.data.startsWith("$s"))for(var n=1;e=e.nextSibling;){if(e.nodeType==8){if(e.data.startsWith("$s"))n++;else if(e.data.startsWith("/$s")&&!--n)return e}t&&t.push(e)}}function _n(e){e&&(e.__c&&(e.__c.__g|=4),e.__k&&e.__k.some(_n))}function gn(e,t,n){for(var o=0;o<n.length;)ft(n[o++],n[o++],n[o++]);M.__c&&M.__c(t,e),e.some(function(r){try{e=r.__h,r.__h=[],e.some(function(s){s.call(r)})}catch(s){M.__e(s,r.__v)}})}function ws(e,t,n,o,r,s,a,l,u,d){var m,$,_,p,b,h,S,y,T=n.props||Ie,O=t.props,v=t.type;if(v=="svg"?r="http://www.w3.org/2000/svg":v=="math"?r="http://www.w3.org/1998/Math/MathML":r||(r="http://www.w3.org/1999/xhtml"),s){for(m=0;m<s.length;m++)if((b=s[m])&&(v?b.localName==v:b.nodeType==3)){e=b,s[m]=null;break}}if(!e){if(y=d.ownerDocument||document,!v)return y.createTextNode(O);e=y.createElementNS(r,v,O.is?O:d),l&&(M.__m&&M.__m(t,s),l=!1),s=null}if(v){if(d=v=="template"&&e.content||e,s=v=="textarea"&&O.defaultValue!=null?null:s&&mt.call(d.childNodes),!l&&s)for(T={},m=0;m<e.attributes.length;m++)T[(b=e.attributes[m]).name]=b.value;for(m in T)b=T[m],m=="dangerouslySetInnerHTML"?_=b:m=="children"||m in O||m=="value"&&"defaultValue"in O||m=="checked"&&"defaultChecked"in O||Se(e,m,null,b,r);for(m in O)b=O[m],m=="children"?p=b:m=="dangerouslySetInnerHTML"?$=b:m=="value"?h=b:m=="checked"?S=b:l&&typeof b!="function"||T[m]===b||Se(e,m,b,T[m],r);$?(l||_&&($.__html==_.__html||$.__html==e.innerHTML)||(e.innerHTML=$.__html),t.__k=[]):(_&&(e.textContent=""),(v=="foreignObject"||r=="http://www.w3.org/1998/Math/MathML"&&gs.test(v))&&(r="http://www.w3.org/1999/xhtml"),fn(d,ut(p)?p:[p],t,n,o,r,s,a,s?s[0]:n.__k&&G(n,0),l,u),s&&s.some(Z)),l&&v!="textarea"||(m="value",v=="progress"&&h==null?e.removeAttribute(m):h==null||h===e[m]&&(v!="progress"||h)||Se(e,m,h,T[m],r),m="checked",S!=null&&S!=e[m]&&Se(e,m,S,T[m],r))}else T===O||l&&e.data==O||(e.data=O);return e}function ft(e,t,n,o){try{typeof e=="function"?t?t.__x=e(t)||1:o&&(o=o.__c||o.__e)&&(t=o.__x)&&(o.__x=null,typeof t=="function"?t():e(null)):e.current=t}catch(r){M.__e(r,n)}}function $t(e,t,n){var o,r,s,a;if(M.unmount&&M.unmount(e),!(o=e.ref)||o.current&&o.current!=e.__e||ft(o,null,t,e),o=e.__c){if(o.componentWillUnmount)try{o.componentWillUnmount()}catch(l){M.__e(l,t)}o.__P=o.__n=null}if(o=e.__k)for(a=0;a<o.length;a++)o[a]&&$t(o[a],t,typeof e.type!="function"||n&&!e.props.__P);!n&&(o=e.__c)&&(o=o.__z)&&(r=Ce(o,s=[]))&&(o==e.__e&&s.some(Z),Z(r),Z(o)),n||Z(e.__e),e.__e=e.__c=e.__=null}function xs(e,t,n){return this.constructor(e,n)}function _t(e,t){var n,o,r,s;M.__&&M.__(e,t),t.nodeType==9&&(t=t.documentElement),o=(n=e&&32&e.__u)?null:t.__k,t.__k=de(Me,{children:[e]}),r=[],s=[],pt(t,t.__k,o||Ie,Ie,t.namespaceURI,o?null:t.firstChild?mt.call(t.childNodes):null,r,o?o.__e:t.firstChild,n,s),gn(r,t.__k,s),t.__k.props.children=null}M={__e:function(e,t,n,o){for(var r,s,a;t=t.__;)if((r=t.__c)&&!(1&r.__g)){r.__g|=4;try{if((a=(s=r.constructor)&&s.getDerivedStateFromError)&&r.setState(s.getDerivedStateFromError(e)),r.componentDidCatch&&(r.componentDidCatch(e,o||{}),a=1),a&&8&r.__g)return void(r.__g|=2)}catch(l){e=l}}throw Ee=0,e}},cn=0,$s=function(e){return e!=null&&e.constructor===pe},Te.prototype.setState=function(e,t){var n=this.__s;n&&n!=this.state||(n=this.__s=ee({},this.state)),typeof e=="function"&&(e=e(ee({},n),this.props)),e&&(ee(n,e),this.__v&&(t&&this.__k.push(t),an(this)))},Te.prototype.forceUpdate=function(e){this.__v&&(this.__g|=4,e&&this.__h.push(e),an(this))},Te.prototype.render=Me,z=[],Ee=0,un=function(e,t){return e.__v.__b-t.__v.__b},ke=Symbol(),mn=/(PointerCapture)$|Capture$/i,ct=0,lt={},_s=0;var bn=function(e,t,n,o){var r;t[0]=0;for(var s=1;s<t.length;s++){var a=t[s++],l=t[s]?(t[0]|=a?1:2,n[t[s++]]):t[++s];a===3?o[0]=l:a===4?o[1]=Object.assign(o[1]||{},l):a===5?(o[1]=o[1]||{})[t[++s]]=l:a===6?o[1][t[++s]]+=l+"":a?(r=e.apply(l,bn(e,l,n,["",null])),o.push(r),l[0]?t[0]|=2:(t[s-2]=0,t[s]=r)):o.push(l)}return o},hn=new Map;function yn(e){var t=hn.get(this);return t||(t=new Map,hn.set(this,t)),(t=bn(this,t.get(e)||(t.set(e,t=function(n){for(var o,r,s=1,a="",l="",u=[0],d=function(_){s===1&&(_||(a=a.replace(/^\s*\n\s*|\s*\n\s*$/g,"")))?u.push(0,_,a):s===3&&(_||a)?(u.push(3,_,a),s=2):s===2&&a==="..."&&_?u.push(4,_,0):s===2&&a&&!_?u.push(5,0,!0,a):s>=5&&((a||!_&&s===5)&&(u.push(s,0,a,r),s=6),_&&(u.push(s,_,0,r),s=6)),a=""},m=0;m<n.length;m++){m&&(s===1&&d(),d(m));for(var $=0;$<n[m].length;$++)o=n[m][$],s===1?o==="<"?(d(),u=[u],s=3):a+=o:s===4?a==="--"&&o===">"?(s=1,a=""):a=o+a[0]:l?o===l?l="":a+=o:o==='"'||o==="'"?l=o:o===">"?(d(),s=1):s&&(o==="="?(s=5,r=a,a=""):o==="/"&&(s<5||n[m][$+1]===">")?(d(),s===3&&(u=u[0]),s=u,(u=u[0]).push(2,0,s),s=0):o===" "||o==="	"||o===`
`||o==="\r"?(d(),s=2):a+=o),s===3&&a==="!--"&&(s=4,u=u[0])}return d(),u}(e)),t),arguments,[])).length>1?t:t[0]}var se,L,gt,vn,ht=Object.is,$e=0,On=[],bt=[],D=M,wn=D.__b,xn=D.__r,Sn=D.diffed,kn=D.__c,Tn=D.unmount,Cn=D.__;function Ae(e,t){D.__h&&D.__h(L,e,$e||t),$e=0;var n=L.__H||(L.__H={__:[],__h:[]});return e>=n.__.length&&n.__.push({}),n.__[e]}function f(e){return $e=1,Pe(Mn,e)}function Pe(e,t,n){var o=Ae(se++,2);if(o.t=e,!o.__c&&(o.__=[n?n(t):Mn(void 0,t),function(s){var a=(o.__N||o.__)[0],l=o.t(a,s);ht(a,l)||(o.__N=[l,o.__[1]],o.__c.setState({}))}],o.__c=L,!L.__f)){L.__f=!0;var r=L.shouldComponentUpdate;L.shouldComponentUpdate=function(s,a,l){var u=this.__H;if(!u)return!0;var d=!1,m=this.props!=s;if(u.__.some(function(_){_.__N&&(d=!0,ht(_.__[0],_.__N[0])||(m=!0))}),r){var $=r.call(this,s,a,l);return d?$||m:$}return!d||m}}return o.__}function g(e,t){var n=Ae(se++,3);!D.__s&&vt(n.__H,t)&&(n.__P=!0,n.__=e,n.u=t,L.__H.__h.push(n))}function Ne(e,t){var n=Ae(se++,4);!D.__s&&vt(n.__H,t)&&(n.__P=!1,n.__=e,n.u=t,L.__h.push(n))}function w(e){return $e=5,te(function(){return{current:e}},[])}function te(e,t){var n=Ae(se++,7);return vt(n.__H,t)&&(n.__=e(),n.__H=t),n.__}function F(e,t){return $e=8,te(function(){return e},t)}function Ss(){var e;do{for(;e=bt.shift();)try{fe(e)}catch(n){D.__e(n,{__:(e=e.__P)&&e.__v})}for(;e=On.shift();){var t=e.__H;if(e.__P&&t)try{t.__h.some(fe),t.__h.some(yt),t.__h=[]}catch(n){t.__h=[],D.__e(n,e.__v)}}}while(bt.length)}D.__b=function(e){L=null,wn&&wn(e)},D.__=function(e,t){e&&t.__k&&t.__k.__m&&(e.__m=t.__k.__m),Cn&&Cn(e,t)},D.__r=function(e){xn&&xn(e),se=0;var t=(L=e.__c).__H;t&&(gt==L?L.__h=[]:(t.__h.some(fe),t.__h.some(yt),se=0),t.__h=[],t.__.some(function(n){n.__N&&(n.__=n.__N),n.u=n.__N=void 0})),gt=L},D.diffed=function(e){Sn&&Sn(e);var t=e.__c;t&&t.__H&&(t.__H.__h.length&&In(On.push(t)),t.__H.__.some(function(n){n.u&&(n.__H=n.u)})),gt=L=null},D.__c=function(e,t){t.some(function(n){try{n.__h.some(fe),n.__h=n.__h.filter(function(o){return!o.__||yt(o)})}catch(o){n.__h=[function(){throw o}]}}),kn&&kn(e,t)},D.unmount=function(e){Tn&&Tn(e);var t,n,o=e.__c;o&&o.__H&&(o.__H.__.some(function(r){try{if(r.__P&&r.__c){if(n===void 0){for(n=e.__;n&&(!n.__c||!n.__c.__P);)n=n.__;n=n&&n.__c}r.__P=n,In(bt.push(r))}else fe(r)}catch(s){t=s}}),o.__H=void 0,t&&D.__e(t,o.__v))};var En=typeof requestAnimationFrame=="function";function ks(e){var t,n=function(){clearTimeout(o),En&&cancelAnimationFrame(t),setTimeout(e)},o=setTimeout(n,35);En&&(t=requestAnimationFrame(n))}function In(e){e!=1&&vn==D.requestAnimationFrame||((vn=D.requestAnimationFrame)||ks)(Ss)}function fe(e){var t=L,n=e.__c;typeof n=="function"&&(e.__c=void 0,n()),L=t}function yt(e){var t=L;e.__c=e.__(),L=t}function vt(e,t){return!e||e.length!=t.length||t.some(function(n,o){return!ht(n,e[o])})}function Mn(e,t){return typeof t=="function"?t(e):t}var c=yn.bind(dt);function Ts(e,t){for(let n in e)if(e[n]!==t[n])return!1;for(let n in t)if(!(n in e))return!1;return!0}function De(e){function t(o){return!Ts(this.props,o)}function n(o){return this.shouldComponentUpdate=t,dt(e,o)}return n.displayName=`memo(${e.name})`,n}var ie=new Map,_e=new Map,wt=new Set,Le=new Map,xt=0;function W(e){ie.set(e.id,{...ie.get(e.id),...e});for(let t of[...wt])t()}function St(e,t){ie.delete(t),Le.set(e.id,(Le.get(e.id)||0)+1),W(e)}function An(e){return Le.get(e)||0}function Cs(e){if(ie.has(e)||_e.has(e))return;let t=xt,n=x.getContact(e).then(o=>t===xt&&W(o)).catch(()=>{}).finally(()=>_e.get(e)===n&&_e.delete(e));_e.set(e,n)}function kt(){xt+=1,ie.clear(),_e.clear(),Le.clear()}function Q(e){let[,t]=f(0);return g(()=>{let n=()=>t(o=>o+1);return wt.add(n),Cs(e),()=>wt.delete(n)},[e]),ie.get(e)}var Fe=["en","ar","he"],Es=new Set(["ar","he"]),Ct="omnihub.console.locale",Nn={},Re={},Et=new Set;function Is(e){for(let t of e){let n=String(t||"").toLowerCase().split("-")[0];if(Fe.includes(n))return n}return"en"}function Dn(){return Is(navigator.languages&&navigator.languages.length?navigator.languages:[navigator.language])}async function Pn(e){let t=await fetch(new URL(`i18n/${e}.json`,xe));return t.ok?t.json():{}}async function Ln(e){Re["app.title"]||(Re=await Pn("en")),Nn=e==="en"?Re:await Pn(e),document.documentElement.lang=e,document.documentElement.dir=Es.has(e)?"rtl":"ltr",document.title=i("app.title");for(let t of[...Et])t(e);return e}function Rn(){return Ln(It()||Dn())}function It(){try{let e=localStorage.getItem(Ct);return Fe.includes(e)?e:null}catch{return null}}async function Ot(e){try{Fe.includes(e)?localStorage.setItem(Ct,e):localStorage.removeItem(Ct)}catch{}let t=Fe.includes(e)&&e||Dn();t!==document.documentElement.lang&&await Ln(t)}function Fn(e){return Et.add(e),()=>Et.delete(e)}function i(e,t={}){return(Nn[e]??Re[e]??e).replace(/\{(\w+)\}/g,(o,r)=>r in t?String(t[r]):o)}var Tt=new Map;function U(e){let t=new Date(e);if(Number.isNaN(t.getTime()))return"";let n=document.documentElement.lang;return Tt.has(n)||Tt.set(n,new Intl.DateTimeFormat(n,{dateStyle:"short",timeStyle:"short"})),Tt.get(n).format(t)}var Ue=e=>Date.parse(e)||0;function ae(e,t){return Ue(t.last_activity_at)-Ue(e.last_activity_at)||t.id-e.id}function Mt(e,t,n=ae){return[...e.filter(o=>o.id!==t.id),t].sort(n)}function Un(e,t,n=ae){let o=new Set(e.map(r=>r.id));return[...e,...t.filter(r=>!o.has(r.id))].sort(n)}function Os(e,t){return t.kind!=="message"?e.waiting_since:t.direction==="outgoing"?null:e.waiting_since||(t.metadata?.automated?null:t.created_at)}function qn(e,t,n=ae){let o=e.find(s=>s.id===t.conversation_id);if(!o||Ue(o.last_activity_at)>=Ue(t.created_at))return e;let r=Os(o,t);return Mt(e,{...o,last_activity_at:t.created_at,waiting_since:r},n)}function Hn(e,t){return[...e.filter(n=>n.id!==t.id),t].sort((n,o)=>n.id-o.id)}function Bn(e,t,n){return t==="mine"?n!=null&&e.assignee_id===n.id:t==="unassigned"?e.assignee_id==null:!0}function qe(e,t,n){return e.map(o=>o.id===t&&o.unread!==n?{...o,unread:n}:o)}var At="omnihub.console.list",Ms=["inbox_id","status","team_id","label","channel_type","priority"],Pt=["last_activity","waiting"];function Kn(){try{let e=JSON.parse(localStorage.getItem(At)||"{}"),t={};for(let n of Ms)typeof e.filters?.[n]=="string"&&e.filters[n]&&(t[n]=e.filters[n]);return{filters:t,sort:Pt.includes(e.sort)?e.sort:"last_activity"}}catch{return{filters:{},sort:"last_activity"}}}function Wn({filters:e,sort:t}){try{localStorage.setItem(At,JSON.stringify({filters:e,sort:t}))}catch{}}function Vn(){try{localStorage.removeItem(At)}catch{}}function Nt({view:e,filters:t,sort:n}){return{view:e,...t,sort:n}}function le(e){return JSON.stringify(Nt(e))}function zn(e,t,n){let{inbox_id:o,status:r,team_id:s,label:a,channel_type:l,priority:u}=t;if(o&&String(e.inbox_id)!==o||s&&String(e.team_id)!==s||r&&e.status!==r||u&&e.priority!==u||a&&!(e.labels||[]).includes(a.trim().toLowerCase()))return!1;if(l){let d=n.find(m=>m.id===e.inbox_id);if(!d||d.channel_type!==l)return!1}return!0}var jn=e=>Date.parse(e)||0;function As(e,t){return e.waiting_since&&t.waiting_since?jn(e.waiting_since)-jn(t.waiting_since)||e.id-t.id:e.waiting_since||t.waiting_since?e.waiting_since?-1:1:ae(e,t)}var He=e=>e==="waiting"?As:ae;var Be=null;function Dt(){Be=null}function Lt(){return Be||=x.listInboxes().catch(e=>(Be=null,e instanceof k||console.warn("omnihub console: inboxes:",e.message),[])),Be}function je(){let[e,t]=f([]);return g(()=>{let n=!0;return Lt().then(o=>n&&t(o)),()=>{n=!1}},[]),e}var Ke=e=>e.channel_type==="email";var Rt="omnihub.console.user";function Gn(e){sessionStorage.setItem(Rt,JSON.stringify(e))}function Qn(){try{return JSON.parse(sessionStorage.getItem(Rt)||"null")}catch{return null}}function Ft(){sessionStorage.removeItem(Rt)}function Ps(e){return e.status===403?i("setup.wrongCode"):e.status===409?i("setup.done"):e.status===429?i("signIn.tooMany"):i("setup.failed")}function Yn({onSignedIn:e}){let[t,n]=f({code:"",name:"",email:"",password:""}),[o,r]=f(""),[s,a]=f(!1),l=d=>m=>n({...t,[d]:m.currentTarget.value});async function u(d){d.preventDefault(),a(!0),r("");try{e(await C.completeSetup(t))}catch(m){r(Ps(m)),a(!1)}}return c`
    <main class="sign-in">
      <form onSubmit=${u} aria-labelledby="setup-title">
        <h1 id="setup-title">${i("setup.title")}</h1>
        <p class="hint">${i("setup.hint")}</p>
        <label>
          <span>${i("setup.code")}</span>
          <input name="code" autocomplete="off" required spellcheck="false" dir="ltr"
            value=${t.code} onInput=${l("code")} />
        </label>
        <label>
          <span>${i("setup.name")}</span>
          <input name="name" autocomplete="name" required dir="auto" value=${t.name} onInput=${l("name")} />
        </label>
        <label>
          <span>${i("setup.email")}</span>
          <input type="email" name="email" autocomplete="username" required dir="auto"
            value=${t.email} onInput=${l("email")} />
        </label>
        <label>
          <span>${i("setup.password")}</span>
          <input type="password" name="password" autocomplete="new-password" required minlength="8"
            value=${t.password} onInput=${l("password")} />
        </label>
        ${o&&c`<p role="alert" class="error">${o}</p>`}
        <button type="submit" disabled=${s}>${i("setup.submit")}</button>
      </form>
    </main>`}function Ns(e){return e.status===401?i("signIn.wrong"):e.status===429?i("signIn.tooMany"):i("signIn.failed")}function Jn({onSignedIn:e}){let[t,n]=f(""),[o,r]=f(""),[s,a]=f(""),[l,u]=f(!1);async function d(m){m.preventDefault(),u(!0),a("");try{e(await x.signIn(t,o))}catch($){a(Ns($)),u(!1)}}return c`
    <main class="sign-in">
      <form onSubmit=${d} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">${i("signIn.title")}</h1>
        <label>
          <span>${i("signIn.email")}</span>
          <input type="email" name="email" autocomplete="username" required dir="auto"
            value=${t} onInput=${m=>n(m.currentTarget.value)} />
        </label>
        <label>
          <span>${i("signIn.password")}</span>
          <input type="password" name="password" autocomplete="current-password" required
            value=${o} onInput=${m=>r(m.currentTarget.value)} />
        </label>
        ${s&&c`<p role="alert" class="error">${s}</p>`}
        <button type="submit" disabled=${l}>${i("signIn.submit")}</button>
      </form>
    </main>`}function Xn({onSignedIn:e}){let[t,n]=f(null);return g(()=>{C.setupState().then(o=>n(o.needed===!0),()=>n(!1))},[]),t===null?c`<p class="checking" aria-busy="true"></p>`:t?c`<${Yn} onSignedIn=${e} />`:c`<${Jn} onSignedIn=${e} />`}var eo="#/settings";function Zn(e){return e===eo?"settings":"conversations"}var to={conversations:"#/conversations",settings:eo};function no(){let[e,t]=f(()=>Zn(location.hash));return g(()=>{let n=()=>t(Zn(location.hash));return addEventListener("hashchange",n),()=>removeEventListener("hashchange",n)},[]),e}var We=new Map;function Ve(e,t){let n=We.get(e);return n&&n(t),!!n}function ze(e,t){let n=w(t);n.current=t,g(()=>{let o=r=>n.current(r);return We.set(e,o),()=>We.get(e)===o&&We.delete(e)},[e])}var ge=class extends Error{};function oo(e){e instanceof k||console.warn("omnihub console:",e.message)}async function Ds(e,t){let n=await x.getContact(t);W(n);let[o]=n.conversations||[];if(!o)throw new ge(`contact ${t}`);await e.select(o.id)}function ro(e,{onHelp:t,onPalette:n,onSignOut:o}){let{state:r}=e,s=r.conversations.find(d=>d.id===r.selectedId)||null,a=r.me,l=d=>e.update(s.id,d).catch(oo),u=!!(s&&a&&s.assignee_id!==a.id);return{open:s,canAssign:u,assignToMe:()=>u&&l({assignee_id:a.id}),resolve:()=>s&&s.status!=="resolved"&&l({status:"resolved"}),reopen:()=>s&&s.status!=="open"&&l({status:"open"}),reply:()=>s&&Ve("compose","reply"),note:()=>s&&Ve("compose","note"),search:()=>Ve("search"),goTo:d=>e.select(d).catch(oo),openContact:d=>Ds(e,d),chooseView:e.chooseView,view:r.view,help:t,palette:n,signOut:o}}var Ls=4003,Rs=4001,Fs=15e3;function so(e){let t=null,n=null,o=!1,r=0,s=null;function a(d){d.type==="ready"?(r=0,t==null&&(t=d.data.last_id),e.onStatus("live"),e.onReady()):d.type==="resync_required"?t=null:d.id!=null?(t=d.id,e.onEvent(d)):e.onSignal&&e.onSignal(d)}function l(){n=new WebSocket(tn(t)),n.addEventListener("message",d=>a(JSON.parse(d.data))),n.addEventListener("close",d=>{if(!o){if(e.onStatus("offline"),d.code===Ls){e.onSignedOut();return}d.code===Rs&&(t=null,e.onResync()),u()}})}function u(){r+=1;let d=Math.min(Fs,500*2**Math.min(r,5))*(.5+Math.random()/2);s=setTimeout(async()=>{if(r>1)try{await e.checkSession()}catch{}o||l()},d)}return l(),{send(d){n&&n.readyState===WebSocket.OPEN&&n.send(JSON.stringify(d))},stop(){o=!0,clearTimeout(s),n&&n.close(1e3)}}}var Us=40,qs=100,he=new Map;function Hs(e,t){let n=new Map(e.map(o=>[o.id,o]));for(let o of t)n.set(o.id,o);return[...n.values()].sort((o,r)=>o.id-r.id)}function io(e,{conversationId:t,items:n,olderCursor:o}){return t!==e.selectedId?e:{...e,messages:Hs(e.messages,n),messagesLoaded:!0,olderCursors:{...e.olderCursors,[t]:o}}}async function ao(e,t,n,o){let r=await x.listMessagesNewestFirst(e,t,n);o({type:"timelinePage",conversationId:e,items:r.items,olderCursor:r.next_cursor})}function lo(e,t){if(he.has(e))return he.get(e);let n=ao(e,null,Us,t).finally(()=>{he.delete(e)});return he.set(e,n),n}function ce(e){return(he.get(e)||Promise.resolve()).catch(()=>{})}function co(e,t){let n=e.olderCursors&&e.olderCursors[e.selectedId];return n?ao(e.selectedId,n,qs,t).then(()=>!0):Promise.resolve(!1)}var uo={view:"all",...Kn(),inboxes:[],teams:[],counts:null,me:null,conversations:[],nextCursor:void 0,loadingMore:!1,previews:{},selectedId:null,messages:[],messagesLoaded:!1,olderCursors:{},status:"offline"};function Bs(e,t){let n=t.kind==="activity"?e.previews:{...e.previews,[t.conversation_id]:t.content},o=t.conversation_id===e.selectedId,r=!o&&t.direction==="incoming"&&t.kind!=="activity",s=qn(e.conversations,t,He(e.sort));return{...e,previews:n,conversations:r?qe(s,t.conversation_id,!0):s,messages:o?Hn(e.messages,t):e.messages}}function js(e,t){let n=e.conversations.find(s=>s.id===t.id),o={unread:n?n.unread:!1,...t};return!(Bn(o,e.view,e.me)&&zn(o,e.filters,e.inboxes))&&o.id!==e.selectedId?{...e,conversations:e.conversations.filter(s=>s.id!==o.id)}:{...e,conversations:Mt(e.conversations,o,He(e.sort))}}var mo={loading:e=>({...e,loadingMore:!0}),loadFailed:e=>({...e,loadingMore:!1}),page:(e,{key:t,items:n,nextCursor:o})=>t!==le(e)?e:{...e,conversations:Un(e.conversations,n,He(e.sort)),nextCursor:o,loadingMore:!1},view:(e,{view:t})=>({...e,view:t,conversations:[],nextCursor:void 0,loadingMore:!1}),listChoice:(e,{filters:t,sort:n})=>({...e,filters:t,sort:n,conversations:[],nextCursor:void 0,loadingMore:!1}),options:(e,{inboxes:t,teams:n})=>{let{inbox_id:o,...r}=e.filters,s=o&&!t.some(l=>String(l.id)===o),a={...e,inboxes:t,teams:n};return s?mo.listChoice(a,{filters:r,sort:e.sort}):a},counts:(e,{counts:t})=>({...e,counts:t}),me:(e,{me:t})=>({...e,me:t}),unread:(e,{conversationId:t,unread:n})=>({...e,conversations:qe(e.conversations,t,n)}),restart:e=>({...e,conversations:[],nextCursor:void 0,loadingMore:!1}),conversation:(e,{conversation:t})=>js(e,t),message:(e,{message:t})=>Bs(e,t),select:(e,{id:t})=>({...e,selectedId:t,messages:[],messagesLoaded:!1,conversations:qe(e.conversations,t,!1)}),status:(e,{status:t})=>({...e,status:t}),contactMerged:(e,{keptId:t,mergedId:n})=>({...e,conversations:e.conversations.map(o=>o.contact_id===n?{...o,contact_id:t}:o)}),timelinePage:io};function po(e,t){let n=mo[t.type];return n?n(e,t):e}var _o={sound:"omnihub.notifications.sound",browser:"omnihub.notifications.browser"},Ks=1e3,Ut=new Map,q=null,fo=0;function $o(e){try{return localStorage.getItem(_o[e])==="on"}catch{return!1}}function qt(){let e=typeof Notification<"u"&&Notification.permission==="granted";return{sound:$o("sound"),browser:$o("browser")&&e}}function go(e,t){try{localStorage.setItem(_o[e],t?"on":"off")}catch{}}function ho(e){go("sound",e),e&&(q=q||new AudioContext,q.resume())}async function bo(e){return e&&typeof Notification>"u"?e=!1:e&&Notification.permission!=="granted"&&(e=await Notification.requestPermission()==="granted"),go("browser",e),e}function Ws(){let e=Date.now();if(e-fo<Ks)return;fo=e,q=q||new AudioContext,q.state==="suspended"&&q.resume();let t=q.createOscillator(),n=q.createGain();t.frequency.value=880,n.gain.setValueAtTime(.15,q.currentTime),n.gain.exponentialRampToValueAtTime(.001,q.currentTime+.25),t.connect(n).connect(q.destination),t.start(),t.stop(q.currentTime+.25)}function Vs(e,t,n){let o=new Notification(e,{body:t,tag:`omnihub-conversation-${n}`});o.onclick=()=>window.focus()}function zs(e,t){let{type:n,data:o}=e,r=t.me?.id;if(n==="conversation.created"||n==="conversation.updated")return Ut.set(o.id,o.assignee_id),n==="conversation.created"&&(r==null||o.assignee_id!==r)?{title:i("presence.newConversation"),body:o.subject||"",conversationId:o.id}:null;if(n!=="message.created"||o.direction!=="incoming"||o.kind==="activity")return null;let s=t.conversations.find(l=>l.id===o.conversation_id),a=Ut.has(o.conversation_id)?Ut.get(o.conversation_id):s?.assignee_id;return r==null||a!==r?null:{title:i("presence.newMessage"),body:o.content||"",conversationId:o.conversation_id}}function yo(e,t){let n=zs(e,t);if(!n||n.conversationId===t.selectedId&&document.visibilityState==="visible")return;let o=qt();try{o.sound&&Ws(),o.browser&&Vs(n.title,n.body,n.conversationId)}catch(r){console.warn("omnihub console: could not alert:",r.message)}}function Ge(e,t,n){let[o,r]=f(e);return g(()=>{let s="",a=()=>{let u=e(),d=u.map(m=>m.key).join();d!==s&&r(u),s=d};t.add(a),a();let l=setInterval(a,1e3);return()=>{t.delete(a),clearInterval(l)}},n),o}var Gs=6e3,Qs=3e3,Ys=4e3,Qe=new Map,vo=new Set,Ht=null;function Bt(e){Ht=e}function wo(e){if(e.type!=="typing")return;let{conversation_id:t,user_id:n,contact_id:o,name:r,on:s}=e.data,a=n!=null?`user:${n}`:`contact:${o}`;Qe.has(t)||Qe.set(t,new Map);let l=Qe.get(t);s?l.set(a,{key:a,name:r,userId:n??null,until:Date.now()+Gs}):l.delete(a),vo.forEach(u=>u())}function Js(e,t){let n=Date.now(),o=Qe.get(e);return o?[...o.values()].filter(r=>r.until>n&&r.userId!==t):[]}function xo(e,t){return Ge(()=>Js(e,t),vo,[e,t])}function So(e){let t=w({on:!1,sentAt:0,pause:null}),n=s=>Ht&&Ht({type:"typing",conversation_id:e,on:s}),o=()=>{clearTimeout(t.current.pause),t.current.on&&n(!1),t.current.on=!1};return g(()=>o,[e]),{typed:()=>{let s=Date.now();(!t.current.on||s-t.current.sentAt>=Qs)&&(t.current.on=!0,t.current.sentAt=s,n(!0)),clearTimeout(t.current.pause),t.current.pause=setTimeout(o,Ys)},stopped:o}}var Xs=5e3,Zs=15e3,Ye=new Map,ko=new Set,jt=null,ne={conversationId:null,myId:null};function be(){jt&&jt({type:"viewing",conversation_id:ne.conversationId})}function Kt(e){jt=e}function To(){ne.conversationId!=null&&be()}function Co(e){if(e.type!=="viewing")return;let{conversation_id:t,user_id:n,socket_id:o,name:r,on:s}=e.data;Ye.has(t)||Ye.set(t,new Map);let a=Ye.get(t),l=s&&!a.has(o);s?a.set(o,{key:o,name:r,userId:n,until:Date.now()+Zs}):a.delete(o),l&&t===ne.conversationId&&n!==ne.myId&&be(),ko.forEach(u=>u())}function ei(e,t){let n=Date.now(),o=Ye.get(e),r=new Map;for(let s of o?o.values():[])s.until>n&&s.userId!==t&&r.set(s.userId,s);return[...r.values()]}function Eo(e,t){return Ge(()=>ei(e,t),ko,[e,t])}function Io(e,t){g(()=>{Object.assign(ne,{conversationId:e,myId:t}),be();let n=setInterval(be,Xs);return()=>{clearInterval(n),ne.conversationId=null,setTimeout(()=>ne.conversationId==null&&be(),0)}},[e,t])}function Y(e){e instanceof k||console.warn("omnihub console:",e.message)}function ti(e,t,n){let{type:o,data:r}=e;o==="conversation.created"||o==="conversation.updated"?t({type:"conversation",conversation:r}):o==="message.created"||o==="message.updated"?(t({type:"message",message:r}),o==="message.created"&&r.direction==="incoming"&&r.conversation_id===n().selectedId&&x.markRead(r.conversation_id).catch(Y),n().conversations.some(s=>s.id===r.conversation_id)||x.getConversation(r.conversation_id).then(s=>t({type:"conversation",conversation:s}),Y)):o==="contact.updated"||o==="contact.created"?W(r):o==="contact.merged"?(t({type:"contactMerged",keptId:r.contact.id,mergedId:r.merged_contact_id}),St(r.contact,r.merged_contact_id)):o==="read_mark.updated"&&t({type:"unread",conversationId:r.conversation_id,unread:r.unread})}function ni(e){let t=w(null);return g(()=>()=>clearTimeout(t.current),[]),F(()=>{clearTimeout(t.current),t.current=setTimeout(()=>{x.countConversations().then(n=>e({type:"counts",counts:n}),Y)},500)},[])}function Oo(){let[e,t]=Pe(po,uo),n=w(e);n.current=e;let o=ni(t),r=w(!1),s=w(!1),a=F(()=>{if(s.current||n.current.nextCursor===null)return;s.current=!0;let{nextCursor:v}=n.current,N=le(n.current);t({type:"loading"}),x.listConversations(Nt(n.current),v).then(P=>t({type:"page",key:N,items:P.items,nextCursor:P.next_cursor}),P=>{t({type:"loadFailed"}),Y(P)}).finally(()=>{s.current=!1,le(n.current)!==N&&n.current.nextCursor===void 0&&a()})},[]),l=F(()=>n.current.nextCursor===void 0&&a(),[a]);g(()=>{let v=so({onReady:()=>{r.current=!0,l(),o(),To()},onEvent:P=>{ti(P,t,()=>n.current),yo(P,n.current),P.type.startsWith("conversation.")&&o()},onSignal:P=>{wo(P),Co(P)},onResync:()=>t({type:"restart"}),onSignedOut:it,onStatus:P=>t({type:"status",status:P}),checkSession:x.probeSession});Bt(v.send),Kt(v.send);let N=setTimeout(()=>{r.current=!0,l()},3e3);return()=>{clearTimeout(N),Bt(null),Kt(null),v.stop()}},[l]),g(()=>{x.probeSession().then(v=>t({type:"me",me:v}),Y)},[]),g(()=>{r.current&&l()},[le(e)]),g(()=>{Promise.all([Lt(),x.listTeams()]).then(([v,N])=>t({type:"options",inboxes:v,teams:N}),Y)},[]);let u=w(null),d=F(v=>{u.current=v,lo(v,t).then(()=>x.markRead(v)).catch(Y)},[]);g(()=>{e.selectedId!=null&&u.current!==e.selectedId&&d(e.selectedId)},[e.selectedId]);let m=F(v=>{d(v),t({type:"select",id:v})},[]),$=F(v=>t({type:"message",message:v}),[]),_=F(v=>t({type:"view",view:v}),[]),p=F(v=>{Wn(v),t({type:"listChoice",...v})},[]),b=F(async v=>{await x.markUnread(v),t({type:"unread",conversationId:v,unread:!0})},[]),h=F(async(v,N)=>{let P=await x.updateConversation(v,N);return t({type:"conversation",conversation:P}),o(),P},[]),S=F(async v=>{let N=await x.getConversation(v);v!==n.current.selectedId&&m(v),t({type:"conversation",conversation:{...N,unread:!1}})},[]),y=F(async v=>{v!==n.current.selectedId&&(n.current.conversations.some(N=>N.id===v)?m(v):await S(v))},[]),T=F(()=>co(n.current,t).catch(Y),[]),O=F((v,N)=>{t({type:"contactMerged",keptId:v.id,mergedId:N}),St(v,N)},[]);return{state:e,loadOlder:T,loadMore:a,select:y,addSent:$,chooseView:_,chooseList:p,markUnread:b,update:h,openElsewhere:S,contactsMerged:O}}var Mo=[{keys:["j","Alt+J"],action:"shortcuts.next"},{keys:["k","Alt+K"],action:"shortcuts.previous"},{keys:["r"],action:"shortcuts.reply"},{keys:["n"],action:"shortcuts.note"},{keys:["a"],action:"shortcuts.assign"},{keys:["e"],action:"shortcuts.resolve"},{keys:["/"],action:"shortcuts.search"},{keys:["Ctrl+K","⌘K"],action:"shortcuts.palette"},{keys:["?"],action:"shortcuts.help"}],Ao=[{keys:["Enter"],action:"shortcuts.newLine"},{keys:["Ctrl+Enter","⌘Enter"],action:"shortcuts.send"}],oi={KeyR:"reply",KeyN:"note",KeyA:"assignToMe",KeyE:"resolve"};function Po(e){return e instanceof HTMLElement&&(e.isContentEditable||/^(INPUT|TEXTAREA|SELECT)$/.test(e.tagName))}function ri(e){let t=e.code==="KeyJ"?"j":e.code==="KeyK"?"k":"";return!t||e.ctrlKey||e.metaKey||!e.altKey&&(e.shiftKey||Po(e.target))?0:t==="j"?1:-1}function si(e,t,n){if(!e.length)return null;let o=e.findIndex(s=>s.id===t),r=o<0?n>0?0:e.length-1:o+n;return e[Math.max(0,Math.min(e.length-1,r))].id}var ii=e=>e.code==="KeyK"&&(e.ctrlKey||e.metaKey)&&!e.altKey&&!e.shiftKey,ai=e=>!(e.ctrlKey||e.metaKey||e.altKey)&&!Po(e.target);function li(e){return ai(e)?e.key==="?"?"help":e.key==="/"?"search":e.shiftKey?null:oi[e.code]||null:null}function ci(e,{conversations:t,selectedId:n,onSelect:o}){let r=ri(e),s=r&&si(t,n,r);s==null||s===0||s===n||(e.preventDefault(),o(s))}function No({conversations:e,selectedId:t,onSelect:n,desk:o}){let r=w({});r.current={conversations:e,selectedId:t,onSelect:n,desk:o},g(()=>{let s=a=>{if(a.defaultPrevented)return;let l=document.querySelector("dialog[open]")!==null;if(ii(a)){a.preventDefault(),l||r.current.desk.palette();return}if(l)return;let u=li(a);if(u){a.preventDefault(),r.current.desk[u]();return}ci(a,r.current)};return document.addEventListener("keydown",s),()=>document.removeEventListener("keydown",s)},[])}function Do(e){let t=e.filter(n=>n.unread).length;g(()=>{document.title=t?`(${t}) ${i("app.title")}`:i("app.title")},[t]),g(()=>()=>{document.title=i("app.title")},[])}var ui=[48,1632,1776],mi=/^\+?[\d\u0660-\u0669\u06f0-\u06f9\s().\-/]+$/,di=3;function Lo(e){let t=e.codePointAt(0),n=ui.find(o=>t>=o&&t<=o+9);return n===void 0?null:t-n}function Ro(e){return[...e].map(Lo).filter(t=>t!==null).join("")}function Je(e){let t=e.trim().replace(/^#\s*/,"");if(!t||!/^[\d\u0660-\u0669\u06f0-\u06f9]+$/.test(t))return null;let n=Number(Ro(t));return n>0&&Number.isSafeInteger(n)?n:null}function pi(e,t){let n=t.trim().toLowerCase(),o=e.toLowerCase();if(!n||o.length!==e.length)return null;let r=o.indexOf(n);return r<0?null:[r,r+n.length]}function fi(e,t){if(!mi.test(t.trim()))return null;let n=Ro(t).replace(/^0+/,"");if(n.length<di)return null;let o=[],r="";for(let a=0;a<e.length;a+=1){let l=Lo(e[a]);l!==null&&(o.push(a),r+=l)}let s=r.indexOf(n);return s<0?null:[o[s],o[s+n.length-1]+1]}function Fo(e,t){let n=String(e??""),o=pi(n,t)||fi(n,t);if(!o)return[{text:n,matched:!1}];let[r,s]=o;return[{text:n.slice(0,r),matched:!1},{text:n.slice(r,s),matched:!0},{text:n.slice(s),matched:!1}].filter(a=>a.text)}var $i=["mine","unassigned","all"];function _i(e){let{open:t}=e;return t?[e.canAssign&&{id:"assign",label:i("palette.assignToMe"),keys:"a",run:e.assignToMe},t.status!=="resolved"&&{id:"resolve",label:i("palette.resolve"),keys:"e",run:e.resolve},t.status!=="open"&&{id:"reopen",label:i("palette.reopen"),run:e.reopen},{id:"reply",label:i("palette.reply"),keys:"r",run:e.reply},{id:"note",label:i("palette.note"),keys:"n",run:e.note}].filter(Boolean):[]}function gi(e){return[..._i(e),{id:"search",label:i("palette.search"),keys:"/",run:e.search},...$i.filter(t=>t!==e.view).map(t=>({id:`view-${t}`,label:i("palette.view",{view:i(`views.${t}`)}),run:()=>e.chooseView(t)})),{id:"help",label:i("palette.help"),keys:"?",run:e.help},{id:"sign-out",label:i("palette.signOut"),run:e.signOut}]}function hi(e,t){let n=e.toLowerCase();return t.every(o=>n.includes(o))}function Uo(e,t){let n=Je(t),o=n&&{id:"go-to",label:i("palette.goTo",{id:n}),run:()=>e.goTo(n)},r=t.toLowerCase().split(/\s+/).filter(Boolean),s=gi(e).filter(a=>hi(a.label,r));return o?[o,...s]:s}var qo="palette-commands",Ho=e=>`palette-${e.id}`;function Bo({desk:e,onClose:t}){let n=w(null),o=w(null),r=w(document.activeElement),s=w(null),[a,l]=f(""),[u,d]=f(0),m=Uo(e,a),$=m[Math.min(u,m.length-1)];g(()=>{n.current.showModal(),o.current.focus()},[]);let _=h=>{s.current=h,n.current.close()};function p(){let h=r.current;h instanceof HTMLElement&&h.isConnected&&h.focus(),t(),s.current?.run()}function b(h){let S={ArrowDown:1,ArrowUp:-1}[h.key];if(S&&m.length){h.preventDefault();let y=m.indexOf($);d((y+S+m.length)%m.length)}else h.key==="Enter"&&$&&(h.preventDefault(),_($))}return c`
    <dialog class="palette" ref=${n} aria-label=${i("palette.title")} onClose=${p}>
      <input ref=${o} type="text" role="combobox" aria-label=${i("palette.input")} dir="auto"
        placeholder=${i("palette.placeholder")} autocomplete="off" spellcheck="false"
        aria-autocomplete="list" aria-expanded="true" aria-controls=${qo}
        aria-activedescendant=${$?Ho($):void 0}
        value=${a} onKeyDown=${b}
        onInput=${h=>{l(h.currentTarget.value),d(0)}} />
      <ul role="listbox" id=${qo} aria-label=${i("palette.commands")}>
        ${m.map(h=>c`
            <li role="option" key=${h.id} id=${Ho(h)}
              aria-selected=${h===$?"true":"false"} onMouseDown=${S=>S.preventDefault()}
              onMouseMove=${()=>d(m.indexOf(h))} onClick=${()=>_(h)}>
              <span>${h.label}</span>
              ${h.keys&&c`<kbd aria-hidden="true">${h.keys}</kbd>`}
            </li>`)}
      </ul>
      ${!m.length&&c`<p class="palette-empty">${i("palette.none")}</p>`}
    </dialog>`}var bi=["mine","unassigned","all"];function jo({view:e,counts:t,onChoose:n}){return c`
    <div class="views" role="tablist" aria-label=${i("views.label")}>
      ${bi.map(o=>c`
          <button type="button" role="tab" key=${o} aria-selected=${o===e?"true":"false"}
            onClick=${()=>n(o)}>
            <span>${i(`views.${o}`)}</span>
            ${t&&c` <span class="count">${t[o]}</span>`}
          </button>`)}
    </div>`}var Ko=6e4;function yi(e){let t=Math.floor(e/Ko),[n,o]=t<60?[t,"minute"]:t<48*60?[Math.floor(t/60),"hour"]:[Math.floor(t/1440),"day"];return new Intl.NumberFormat(document.documentElement.lang,{style:"unit",unit:o,unitDisplay:"short"}).format(n)}function Wo({since:e}){let[t,n]=f(Date.now);g(()=>{let a=setInterval(()=>n(Date.now()),3e4);return()=>clearInterval(a)},[]);let o=Date.parse(e);if(!e||Number.isNaN(o))return null;let r=Math.max(0,t-o),s=r<Ko?i("waiting.justNow"):i("waiting.for",{time:yi(r)});return c`<span class="waiting" title=${new Date(o).toLocaleString(document.documentElement.lang)}>${s}</span>`}function j(e,t){return e?e.name||e.email||e.phone||i("contact.unnamed",{id:t}):i("contact.loading")}var vi=De(function({conversation:t,preview:n,selected:o,onSelect:r}){let s=Q(t.contact_id);return c`
    <li class=${`conversation-item${o?" selected":""}${t.unread?" unread":""}`}>
      <button type="button" aria-current=${o?"true":void 0} onClick=${()=>r(t.id)}>
        <span class="contact" dir="auto">${j(s,t.contact_id)}</span>
        <time datetime=${t.last_activity_at}>${U(t.last_activity_at)}</time>
        ${t.subject&&c`<span class="subject" dir="auto">${t.subject}</span>`}
        ${n&&c`<span class="preview" dir="auto">${n}</span>`}
        <span class=${`status ${t.status}`}>${i(`status.${t.status}`)}</span>
        <${Wo} since=${t.waiting_since} />
        ${t.unread&&c`<span class="unread-marker">${i("conversation.unread")}</span>`}
      </button>
    </li>`});function wi(e,t){let n=w(null);return g(()=>{if(!t||!n.current)return;let o=new IntersectionObserver(r=>r.some(s=>s.isIntersecting)&&e());return o.observe(n.current),()=>o.disconnect()},[e,t]),n}function Wt(e){let{conversations:t,previews:n,selectedId:o,firstPageLoaded:r,hasMore:s,loading:a,onSelect:l,onLoadMore:u}=e,{view:d,counts:m,onChooseView:$,children:_}=e,p=wi(u,r&&s&&!a);return c`
    <nav class="conversations" aria-labelledby="conversations-title">
      <h2 id="conversations-title">${i("conversations.title")}</h2>
      <${jo} view=${d} counts=${m} onChoose=${$} />
      ${_}
      <ul role="list" aria-label=${i("conversations.title")}>
        ${t.map(b=>c`<${vi} key=${b.id} conversation=${b} preview=${n[b.id]}
            selected=${b.id===o} onSelect=${l} language=${document.documentElement.lang} />`)}
      </ul>
      ${!a&&!s&&t.length===0&&c`<p class="empty">${i("conversations.empty")}</p>`}
      ${s&&c`<p class="more" ref=${p} aria-busy=${a}>${i("conversations.loading")}</p>`}
    </nav>`}function xi(e,t){return t[e.status]?t[e.status]:e.status===409?i("settings.conflict"):e.status===422?i("settings.invalid",{detail:e.message}):i("settings.failed")}function R(){let[e,t]=f(!1),[n,o]=f("");async function r(s,a={}){t(!0),o("");try{return await s(),!0}catch(l){return l instanceof k||o(xi(l,a)),!1}finally{t(!1)}}return{busy:e,error:n,run:r}}function Vo({contact:e,onRenamed:t}){let[n,o]=f(!1),[r,s]=f(""),{busy:a,error:l,run:u}=R();return n?c`
    <form class="contact-name-form" onSubmit=${async m=>{m.preventDefault();let $=null;await u(async()=>$=await x.renameContact(e.id,r))&&(t($),o(!1))}}>
      <label>
        <span>${i("contactEdit.name")}</span>
        <input type="text" dir="auto" required maxlength="200" value=${r}
          onInput=${m=>s(m.currentTarget.value)} />
      </label>
      <div class="form-buttons">
        <button type="submit" disabled=${a||!r.trim()}>${i("contactEdit.save")}</button>
        <button type="button" class="secondary" onClick=${()=>o(!1)}>${i("contactEdit.cancel")}</button>
      </div>
      ${l&&c`<p role="alert" class="error">${l}</p>`}
    </form>`:c`<button type="button" class="secondary" onClick=${()=>{s(e.name||""),o(!0)}}>${i("contactEdit.editName")}</button>`}function Si(e,t){let[n,o]=f([]);return g(()=>{if(!e.trim()){o([]);return}let r=!0,s=setTimeout(()=>{x.searchContacts(e.trim()).then(a=>r&&o(a.items.filter(l=>l.id!==t)),a=>a instanceof k||console.warn("omnihub console: contacts:",a.message))},250);return()=>{r=!1,clearTimeout(s)}},[e,t]),n}function ki(e){return e instanceof B&&e.status===403?i("contactEdit.mergeForbidden"):i("contactEdit.mergeFailed")}function Ti({found:e,onChoose:t}){return c`
    <ul class="merge-candidates" aria-label=${i("contactEdit.found")}>
      ${e.map(n=>c`
        <li key=${n.id}>
          <button type="button" class="link" onClick=${()=>t(n)}>
            <span dir="auto">${j(n,n.id)}</span>
            ${n.email&&c` <span class="muted" dir="auto">${n.email}</span>`}
          </button>
        </li>`)}
    </ul>`}function Ci({contact:e,onMerged:t,onClose:n}){let o=w(null),[r,s]=f(""),[a,l]=f(null),[u,d]=f(""),[m,$]=f(!1),_=Si(r,e.id);g(()=>o.current.showModal(),[]);async function p(){$(!0),d("");try{t(await x.mergeContact(e.id,a.id),a.id),o.current.close()}catch(h){h instanceof k||d(ki(h))}finally{$(!1)}}let b={other:j(a,a?.id),kept:j(e,e.id)};return c`
    <dialog class="merge-contact" ref=${o} aria-labelledby="merge-title" onClose=${n}>
      <h2 id="merge-title">${i("contactEdit.mergeTitle",{name:b.kept})}</h2>
      <label>
        <span>${i("contactEdit.search")}</span>
        <input type="search" dir="auto" value=${r} onInput=${h=>s(h.currentTarget.value)} />
      </label>
      ${a?c`<p class="merge-confirm" dir="auto">${i("contactEdit.mergeConfirm",b)}</p>`:c`<${Ti} found=${_} onChoose=${l} />`}
      ${u&&c`<p role="alert" class="error">${u}</p>`}
      <div class="form-buttons">
        ${a&&c`<button type="button" disabled=${m} onClick=${p}>${i("contactEdit.merge")}</button>`}
        <button type="button" class="secondary" onClick=${()=>o.current.close()}>${i("contactEdit.cancel")}</button>
      </div>
    </dialog>`}function zo({contact:e,onMerged:t}){let[n,o]=f(!1);return c`
    <button type="button" class="secondary" onClick=${()=>o(!0)}>${i("contactEdit.mergeContact")}</button>
    ${n&&c`<${Ci} contact=${e} onMerged=${t} onClose=${()=>o(!1)} />`}`}function Ei(e,t,n){let[o,r]=f(void 0);return g(()=>{let a=!0;return ce(t).then(()=>x.getContact(e)).then(l=>{a&&(r(l),W(l))},l=>l instanceof k||console.warn("omnihub console: contact:",l.message)),()=>a=!1},[e,t,n]),[o,a=>{r(a),W(a)}]}function Ii({identity:e}){let t=e.verified?"verified":"unverified";return c`
    <li class="identity">
      <span class="kind">${e.kind}</span>
      <span class="address" dir="auto">${e.address}</span>
      <span class=${`badge ${t}`}>${i(`contact.${t}`)}</span>
    </li>`}function Oi({conversations:e,onOpen:t}){return e.length?c`
    <ul class="other-conversations" aria-label=${i("contact.otherConversations")}>
      ${e.map(n=>c`
          <li key=${n.id}>
            <button type="button" class="link" onClick=${()=>t(n.id)}>
              <span dir="auto">${n.subject||i("contact.conversationNumber",{id:n.id})}</span>
              <span class=${`status ${n.status}`}> · ${i(`status.${n.status}`)}</span>
            </button>
          </li>`)}
    </ul>`:c`<p class="empty">${i("contact.noOther")}</p>`}function Go({conversation:e,onOpen:t,onMerged:n}){let o=Q(e.contact_id),r=An(e.contact_id),[s,a]=Ei(e.contact_id,e.id,r),l=(s?.conversations||[]).filter(d=>d.id!==e.id),u=(d,m)=>{a(d),n(d,m)};return c`
    <section class="contact-panel" aria-labelledby="contact-panel-title" aria-busy=${s===void 0}>
      <h2 id="contact-panel-title">${i("contact.title")}</h2>
      <p class="contact-name" dir="auto">${j(o||s,e.contact_id)}</p>
      ${s&&c`
        <div class="contact-tools">
          <${Vo} contact=${o||s} onRenamed=${a} />
          <${zo} contact=${o||s} onMerged=${u} />
        </div>
        <h3>${i("contact.identities")}</h3>
        <ul class="identities" aria-label=${i("contact.identities")}>
          ${(s.identities||[]).map(d=>c`<${Ii} key=${d.id} identity=${d} />`)}
        </ul>
        <h3>${i("contact.otherConversations")}</h3>
        <${Oi} conversations=${l} onOpen=${t} />`}
    </section>`}var Mi=["none","low","medium","high","urgent"],Ai=6e4,Xe=new Map;function Pi(e,t){let n=Xe.get(e);if(n&&Date.now()-n.at<Ai)return n.loading;let o=ce(t).then(()=>Promise.all([x.listInboxMembers(e),x.listTeams()])).then(([r,s])=>({members:r.members,teams:s}));return Xe.set(e,{at:Date.now(),loading:o}),o.catch(()=>Xe.get(e)?.loading===o&&Xe.delete(e)),o}function Ni(e,t){let[n,o]=f({members:[],teams:[]});return g(()=>{let r=!0;return Pi(e,t).then(s=>r&&o(s),s=>s instanceof k||console.warn("omnihub console: choices:",s.message)),()=>r=!1},[e,t]),n}function Qo(e,t,n){return t==null||e.some(o=>o.id===t)?e:[...e,{id:t,name:n(t)}]}function Vt({label:e,className:t,value:n,disabled:o,onChange:r,children:s}){return c`
    <label class=${`choice ${t}`}>
      <span>${e}</span>
      <select value=${n} disabled=${o} onChange=${a=>r(a.currentTarget.value)}>
        ${s}
      </select>
    </label>`}var Yo=e=>e===""?null:Number(e);function Jo({conversation:e,me:t,busy:n,change:o}){let{members:r,teams:s}=Ni(e.inbox_id,e.id),a=Qo(r,e.assignee_id,u=>u===t?.id?t.name:i("convActions.agentNumber",{id:u})),l=Qo(s,e.team_id,u=>i("convActions.teamNumber",{id:u}));return c`
    <${Vt} label=${i("convActions.assignee")} className="assignee-choice" value=${e.assignee_id??""}
      disabled=${n} onChange=${u=>o({assignee_id:Yo(u)})}>
      <option value="">${i("convActions.nobody")}</option>
      ${a.map(u=>c`<option key=${u.id} value=${u.id}>${u.name}</option>`)}
    <//>
    <${Vt} label=${i("convActions.team")} className="team-choice" value=${e.team_id??""}
      disabled=${n} onChange=${u=>o({team_id:Yo(u)})}>
      <option value="">${i("convActions.noTeam")}</option>
      ${l.map(u=>c`<option key=${u.id} value=${u.id}>${u.name}</option>`)}
    <//>
    <${Vt} label=${i("convActions.priority")} className="priority-choice" value=${e.priority}
      disabled=${n} onChange=${u=>o({priority:u})}>
      ${Mi.map(u=>c`<option key=${u} value=${u}>${i(`convActions.priorities.${u}`)}</option>`)}
    <//>`}function Xo({labels:e,busy:t,change:n}){let[o,r]=f("");async function s(a){a.preventDefault();let l=o.trim();l&&(r(""),await n(u=>({labels:[...u.labels,l]}))||r(l))}return c`
    <div class="labels">
      <ul class="label-chips" aria-label=${i("convActions.labels")}>
        ${e.map(a=>c`
            <li key=${a} class="chip">
              <span dir="auto">${a}</span>
              <button type="button" class="link" disabled=${t} aria-label=${i("convActions.removeLabel",{label:a})}
                onClick=${()=>n(l=>({labels:l.labels.filter(u=>u!==a)}))}>×</button>
            </li>`)}
      </ul>
      <form class="add-label" onSubmit=${s}>
        <input type="text" aria-label=${i("convActions.addLabel")} placeholder=${i("convActions.addLabel")}
          maxlength="64" value=${o} onInput=${a=>r(a.currentTarget.value)} />
        <button type="submit" class="secondary" disabled=${!o.trim()}>${i("convActions.add")}</button>
      </form>
    </div>`}var Di=60*60*1e3;function Zo(e,t){let n=new Date(e);return n.setDate(n.getDate()+t),n.setHours(9,0,0,0),n}function Li(e=new Date){let t=(8-e.getDay())%7||7;return[{key:"hour",until:new Date(e.getTime()+Di)},{key:"tomorrow",until:Zo(e,1)},{key:"nextWeek",until:Zo(e,t)}]}function Ri({busy:e,onPick:t}){let[n,o]=f("");return c`
    <form class="snooze-custom" onSubmit=${s=>{s.preventDefault();let a=new Date(n);Number.isNaN(a.getTime())||t(a)}}>
      <label>
        <span>${i("convActions.snoozeCustom")}</span>
        <input type="datetime-local" value=${n} onInput=${s=>o(s.currentTarget.value)} />
      </label>
      <button type="submit" disabled=${e||!n}>${i("convActions.snoozeAtTime")}</button>
    </form>`}function er({conversation:e,busy:t,change:n}){let[o,r]=f(!1),s=w(null);g(()=>{if(!o)return;let u=m=>s.current&&!s.current.contains(m.target)&&r(!1),d=m=>m.key==="Escape"&&r(!1);return document.addEventListener("pointerdown",u),document.addEventListener("keydown",d),()=>{document.removeEventListener("pointerdown",u),document.removeEventListener("keydown",d)}},[o]);async function a(u){await n({snoozed_until:u.toISOString()})&&r(!1)}let l=e.status==="snoozed";return c`
    <div class="snooze" ref=${s}>
      <button type="button" class="secondary" aria-haspopup="true" aria-expanded=${o?"true":"false"}
        disabled=${t} onClick=${()=>r(!o)}>${i("convActions.snooze")}</button>
      ${l&&c`<span class="snoozed-until">${e.snoozed_until?i("convActions.snoozedUntil",{time:U(e.snoozed_until)}):i("convActions.snoozedUntilReply")}</span>`}
      ${o&&c`
        <div class="snooze-menu">
          <ul role="menu" aria-label=${i("convActions.snooze")}>
            ${Li().map(({key:u,until:d})=>c`
              <li key=${u} role="none">
                <button type="button" role="menuitem" class="link" disabled=${t} onClick=${()=>a(d)}>
                  ${i(`convActions.snoozeFor.${u}`)}
                </button>
              </li>`)}
          </ul>
          <${Ri} busy=${t} onPick=${a} />
        </div>`}
    </div>`}var Fi=["open","pending","resolved"];function Ui(e){return e instanceof B&&e.status===422&&e.message?i("convActions.invalid",{detail:e.message}):i("actions.failed")}function qi(){let[e,t]=f(""),[n,o]=f(!1);async function r(s){o(!0),t("");try{return await s(),!0}catch(a){return a instanceof k||t(Ui(a)),!1}finally{o(!1)}}return{error:e,busy:n,run:r}}function Hi(e,t,n){let o=w(e),r=w(Promise.resolve());return o.current=e,s=>{let a=r.current.then(()=>n(async()=>{let l=typeof s=="function"?s(o.current):s;o.current=await t(e.id,l)}));return r.current=a,a}}function tr({conversation:e,me:t,onUpdate:n,onMarkUnread:o}){let{error:r,busy:s,run:a}=qi(),l=Hi(e,n,a),u=t!=null&&e.assignee_id===t.id;return c`
    <div class="conversation-actions">
      ${u?c`<span class="assignee">${i("actions.assignedToYou")}</span>`:c`<button type="button" disabled=${s||t==null}
            onClick=${()=>l({assignee_id:t.id})}>${i("actions.assignToMe")}</button>`}
      <div class="status-choice" role="group" aria-label=${i("actions.status")}>
        ${Fi.map(d=>c`
            <button type="button" key=${d} aria-pressed=${e.status===d?"true":"false"}
              disabled=${s} onClick=${()=>l({status:d})}>
              ${i(`status.${d}`)}
            </button>`)}
      </div>
      <${er} conversation=${e} busy=${s} change=${l} />
      <button type="button" class="secondary" disabled=${s||e.unread}
        onClick=${()=>a(()=>o(e.id))}>${i("actions.markUnread")}</button>
    </div>
    <div class="conversation-fields">
      <${Jo} conversation=${e} me=${t} busy=${s} change=${l} />
      <${Xo} labels=${e.labels||[]} busy=${s} change=${l} />
    </div>
    ${r&&c`<p role="alert" class="error">${r}</p>`}`}var nr=e=>!!e&&Array.from(e.types||[]).includes("Files");function or(e,t){return{onDragOver(n){nr(n.dataTransfer)&&(n.preventDefault(),n.dataTransfer.dropEffect="copy",t(!0))},onDragLeave(n){n.currentTarget.contains(n.relatedTarget)||t(!1)},onDrop(n){nr(n.dataTransfer)&&(n.preventDefault(),t(!1),e(Array.from(n.dataTransfer.files)))},onPaste(n){let o=n.clipboardData,r=Array.from(o?.files||[]);!r.length||Array.from(o.types).includes("text/plain")||(n.preventDefault(),e(r))}}}var sr=320*1024,Bi=600,rr=255,zt=null;function Ze(){return zt??=x.attachmentLimits().catch(e=>(zt=null,e instanceof k||console.warn("omnihub console: attachment limits:",e.message),null)),zt}var ir=e=>new URL(`attachments/${e.id}`,me).href,ar=(e,t)=>!!t?.inline_image_types.includes(e.content_type),ji=e=>4*Math.ceil(e/3);function Ki(e){return e.reduce((t,n)=>t+ji(n.size)+Bi,sr)}var Wi=e=>Math.max(0,Math.floor((e.max_request_bytes-sr)*3/4));function ue(e){let t=["byte","kilobyte","megabyte","gigabyte"],n=e,o=0;for(;n>=1024&&o<t.length-1;)n/=1024,o+=1;let r={style:"unit",unit:t[o],unitDisplay:"short",maximumFractionDigits:o?1:0};return new Intl.NumberFormat(document.documentElement.lang,r).format(n)}function lr(e,t,n){let o=[...e],r=[];for(let s of t)if(!n)o.push(s);else if(o.length>=n.max_files){r.push(i("attach.tooMany",{count:n.max_files}));break}else s.size>n.max_file_bytes?r.push(i("attach.tooLarge",{name:s.name,limit:ue(n.max_file_bytes)})):Ki([...o,s])>n.max_request_bytes?r.push(i("attach.tooMuch",{name:s.name,limit:ue(Wi(n))})):o.push(s);return{files:o,problems:r}}function Vi(e){let t=Array.from(e||"attachment");if(t.length<=rr)return t.join("");let n=t.lastIndexOf("."),o=n>0&&t.length-n<=11?t.slice(n):[];return[...t.slice(0,rr-o.length),...o].join("")}function zi(e){return new Promise((t,n)=>{let o=new FileReader;o.onload=()=>{let r=String(o.result);t(r.slice(r.indexOf(",")+1))},o.onerror=()=>n(o.error),o.readAsDataURL(e)})}function cr(e){return Promise.all(e.map(async t=>({filename:Vi(t.name),content_type:t.type||"application/octet-stream",data_base64:await zi(t)})))}function ur(e){let[t,n]=f([]),[o,r]=f([]),s=w([]),a=$=>{s.current=$,n($)},l=()=>{a([]),r([])},u=w(e);g(()=>{u.current=e,l()},[e]);async function d($){let _=Array.from($||[]);if(!_.length)return;let p=u.current,b=await Ze();if(u.current!==p)return;let h=lr(s.current,_,b);a(h.files),r(h.problems)}function m($){a(s.current.filter(_=>_!==$)),r([])}return{files:t,problems:o,add:d,remove:m,clear:l,encoded:()=>cr(s.current)}}var Gi=700;function mr(e){e instanceof k||console.warn("omnihub console: draft:",e.message)}function dr(e){let[t,n]=f(""),[o,r]=f(!1),s=w(Promise.resolve()),a=w(null),l=w(null),u=w(!1),d=p=>s.current=s.current.then(p).catch(mr),m=()=>{clearTimeout(a.current);let p=l.current;l.current=null,p&&d(p)};g(()=>{let p=!0;return ce(e).then(()=>x.getDraft(e)).then(b=>{!p||!b||u.current||(n(b.content),r(b.private))},mr),()=>{p=!1,m()}},[e]);function $(p,b){u.current=!0,n(p),r(b),l.current=()=>p.trim()?x.saveDraft(e,p,b):x.deleteDraft(e),clearTimeout(a.current),a.current=setTimeout(m,Gi)}function _(){clearTimeout(a.current),l.current=null,n(""),d(()=>x.deleteDraft(e))}return{text:t,isPrivate:o,setText:p=>$(p,o),setPrivate:p=>$(t,p),sent:_}}function pr({onFiles:e}){let t=w(null);return c`
    <input type="file" multiple hidden ref=${t} tabindex="-1" aria-hidden="true" onChange=${o=>{e(Array.from(o.currentTarget.files)),o.currentTarget.value=""}} />
    <button type="button" class="attach-button" onClick=${()=>t.current.click()}>${i("attach.button")}</button>`}var Qi=/^image\/(png|jpeg|gif|webp)$/,fr=new WeakMap,Yi=0,Ji=e=>fr.get(e)??fr.set(e,++Yi).get(e);function Xi({file:e}){let[t,n]=f(null);return g(()=>{let o=URL.createObjectURL(e);return n(o),()=>URL.revokeObjectURL(o)},[e]),t&&c`<img class="attach-preview" src=${t} alt="" />`}function $r({files:e,problems:t,onRemove:n}){return c`
    ${e.length>0&&c`<ul class="attach-chips" aria-label=${i("attach.chosen")}>
      ${e.map(o=>c`
          <li key=${Ji(o)} class="attach-chip">
            ${Qi.test(o.type)&&c`<${Xi} file=${o} />`}
            <span class="attach-name" dir="auto">${o.name}</span>
            <span class="attach-size">${ue(o.size)}</span>
            <button type="button" class="attach-remove" aria-label=${i("attach.remove",{name:o.name})}
              onClick=${()=>n(o)}>×</button>
          </li>`)}
    </ul>`}
    ${t.length>0&&c`<div role="alert" class="error attach-problems">
      ${t.map((o,r)=>c`<p key=${r} dir="auto">${o}</p>`)}
    </div>`}`}function et(e){return e.split(/[\s,;]+/).filter(Boolean)}function Gt({value:e,onInput:t,inputRef:n}){return c`
    <label class="cc-field">
      <span>${i("compose.cc")}</span>
      <input type="text" dir="ltr" autocomplete="off" inputmode="email" value=${e} ref=${n}
        placeholder=${i("compose.ccHint")} onInput=${o=>t(o.currentTarget.value)} />
    </label>`}function _r({value:e,onInput:t}){let[n,o]=f(e!==""),r=w(null);return g(()=>{n&&r.current&&!e&&r.current.focus()},[n]),c`
    <div class="reply-cc">
      <button type="button" class="secondary cc-toggle" aria-expanded=${n?"true":"false"}
        onClick=${()=>o(!n)}>${i("compose.addCc")}</button>
      ${n&&c`<${Gt} value=${e} onInput=${t} inputRef=${r} />`}
    </div>`}function Zi(e,t){return e instanceof B?e.status===413?i("attach.refused"):e.status===422&&t?i("compose.invalid"):i("reply.failed"):i("reply.failed")}function gr({conversationId:e,onSent:t,isEmail:n}){let{text:o,isPrivate:r,setText:s,setPrivate:a,sent:l}=dr(e),[u,d]=f(""),m=n&&!r?et(u):[],[$,_]=f(!1),[p,b]=f(""),h=So(e),S=ur(e),[y,T]=f(!1),O=!o.trim()&&!S.files.length,v=w(null);ze("compose",A=>{A==="note"!==r&&a(A==="note"),v.current.focus()});let N=A=>{s(A),r?h.stopped():h.typed()};async function P(A){if(A.preventDefault(),!(O||$)){_(!0),b("");try{let J={attachments:await S.encoded(),...m.length?{cc:m}:{}};t(await x.postMessage(e,o,r,J)),l(),S.clear(),d(""),h.stopped()}catch(J){J instanceof k||b(Zi(J,m.length>0))}finally{_(!1)}}}let oe=A=>{A.key==="Enter"&&(A.ctrlKey||A.metaKey)&&P(A)};return c`
    <form class=${`reply${r?" private":""}${y?" dropping":""}`} onSubmit=${P}
      ...${or(S.add,T)}>
      ${n&&!r&&c`<${_r} value=${u} onInput=${d} />`}
      <textarea ref=${v} aria-label=${i("reply.label")} dir="auto" rows="3"
        placeholder=${r?i("reply.notePlaceholder"):i("reply.placeholder")}
        value=${o} onInput=${A=>N(A.currentTarget.value)} onKeyDown=${oe}></textarea>
      <${$r} files=${S.files} problems=${S.problems} onRemove=${S.remove} />
      <div class="reply-actions">
        <${pr} onFiles=${S.add} />
        <label class="private-toggle">
          <input type="checkbox" checked=${r} onChange=${A=>a(A.currentTarget.checked)} />
          <span>${i("reply.private")}</span>
        </label>
        ${p&&c`<p role="alert" class="error">${p}</p>`}
        <button type="submit" disabled=${$||O}>${i("reply.send")}</button>
      </div>
    </form>`}function hr(e,t){let n=Math.max(0,e.length-300);if(t==null)return n;let o=e.findIndex(r=>r.id===t);return o<0?n:Math.min(o,n)}function br(e,t){return t>0?e[Math.max(0,t-100)].id:null}function yr(e,t){let n=t+100;return n>=e.length-300?null:e[n].id}var ea=/^data:image\//i,ta="blockquote, .gmail_quote, .yahoo_quoted, .moz-cite-prefix, .protonmail_quote";function vr(e){let t=new DOMParser().parseFromString(e,"text/html");for(let n of t.querySelectorAll("script, style, link, meta, base, iframe, object, embed"))n.remove();for(let n of t.querySelectorAll("*"))for(let{name:o}of[...n.attributes])(o.startsWith("on")||o==="style"||o==="srcset")&&n.removeAttribute(o);for(let n of t.querySelectorAll("img"))ea.test(n.getAttribute("src")||"")||n.removeAttribute("src");return t}var Qt=e=>`<!doctype html><html><head><meta charset="utf-8"></head><body>${e.body.innerHTML}</body></html>`;function wr(e){return Qt(vr(e))}function xr(e){let t=vr(e),n=Qt(t),o=t.querySelectorAll(ta);if(!o.length)return{full:n,folded:null};for(let r of o)r.setAttribute("hidden","");return{full:n,folded:Qt(t)}}function ye({message:e,frame:t}){return c`<iframe class="html-body" sandbox="" referrerpolicy="no-referrer" title=${i("message.htmlTitle")}
    srcdoc=${t||wr(e.html)}></iframe>`}var Sr=0;function na({email:e}){let t=(e.cc||[]).map(n=>n.name?`${n.name} <${n.address}>`:n.address);return!e.subject&&!t.length?null:c`<dl class="email-headers">
    ${e.subject&&c`<div><dt>${i("compose.subject")}</dt><dd dir="auto">${e.subject}</dd></div>`}
    ${t.length>0&&c`<div><dt>${i("compose.cc")}</dt><dd dir="ltr">${t.join(", ")}</dd></div>`}
  </dl>`}function kr({shown:e,controls:t,onToggle:n}){return c`<button type="button" class="link quote-toggle" aria-expanded=${e?"true":"false"}
    aria-controls=${t} onClick=${n}>${i(e?"compose.hideQuoted":"compose.showQuoted")}</button>`}function oa({message:e}){let[t,n]=f(!1),o=te(()=>xr(e.html),[e.html]),r=te(()=>`quoted-${Sr+=1}`,[]);return o.folded?c`<div id=${r}><${ye} message=${e} frame=${t?o.full:o.folded} /></div>
    <${kr} shown=${t} controls=${r} onToggle=${()=>n(!t)} />`:c`<${ye} message=${e} frame=${o.full} />`}function ra({message:e,quoted:t}){let[n,o]=f(!1),r=te(()=>`quoted-${Sr+=1}`,[]);return c`<p class="body" dir="auto">${e.content}</p>
    ${t&&c`<${kr} shown=${n} controls=${r} onToggle=${()=>o(!n)} />
      <p class="body quoted" id=${r} dir="auto" hidden=${!n}>${t}</p>`}`}function Tr({message:e}){let t=e.metadata.email;return c`<${na} email=${t} />
    ${e.html?c`<${oa} message=${e} />`:c`<${ra} message=${e} quoted=${t.quoted_text} />`}`}function Cr({image:e,onClose:t}){let n=w(null);return g(()=>{n.current.showModal()},[]),c`
    <dialog class="image-preview" ref=${n} aria-labelledby="image-preview-title" onClose=${t}>
      <h2 id="image-preview-title" dir="auto">${e.filename}</h2>
      <img src=${e.href} alt=${e.filename} />
      <div class="image-preview-actions">
        <a href=${e.href} target="_blank" rel="noopener noreferrer">${i("attach.newTab")}</a>
        <button type="button" onClick=${()=>n.current.close()}>${i("attach.close")}</button>
      </div>
    </dialog>`}function sa(){let[e,t]=f(null);return g(()=>{let n=!0;return Ze().then(o=>n&&t(o)),()=>{n=!1}},[]),e}function ia({attachment:e,policy:t,onOpen:n}){let o=ir(e),r=ar(e,t);return c`
    <li class=${r?"attachment image":"attachment"}>
      ${r&&c`<button type="button" class="thumbnail" aria-label=${i("attach.open",{name:e.filename})}
        onClick=${()=>n({...e,href:o})}>
        <img src=${o} alt="" loading="lazy" />
      </button>`}
      <a href=${o} download=${e.filename} dir="auto">${e.filename}</a>
      <span class="attach-size">${ue(e.size)}</span>
    </li>`}function Er({attachments:e}){let t=sa(),[n,o]=f(null);return c`
    <ul class="attachments" aria-label=${i("message.attachments")}>
      ${e.map(r=>c`<${ia} key=${r.id} attachment=${r} policy=${t} onOpen=${o} />`)}
    </ul>
    ${n&&c`<${Cr} image=${n} onClose=${()=>o(null)} />`}`}function aa(e,t,n){return e.direction==="incoming"?t:n&&e.sender_user_id===n.user_id?i("message.you"):e.sender_user_id==null?i("message.system"):i("message.agent")}function la({message:e}){return e.metadata?.email?c`<${Tr} message=${e} />`:e.html?c`<${ye} message=${e} />`:c`<p class="body" dir="auto">${e.content}</p>`}var Ir=De(function({message:t,contactName:n,user:o}){let r=c`<time datetime=${t.created_at}>${U(t.created_at)}</time>`;if(t.kind==="activity")return c`<li class="activity"><span dir="auto">${t.content}</span> ${r}</li>`;let s=t.kind==="note"||t.private,a=t.direction==="incoming"?"incoming":"outgoing",l=a==="outgoing"&&!s&&t.delivery_status;return c`
    <li class=${`message ${a}${s?" note":""}`}>
      <header>
        <span class="author" dir="auto">${aa(t,n,o)}</span>
        ${s&&c`<span class="badge">${i("message.privateNote")}</span>`}
        ${r}
      </header>
      <${la} message=${t} />
      ${t.attachments?.length>0&&c`<${Er} attachments=${t.attachments} />`}
      ${l&&c`<p class=${`delivery ${l}`}>${i(`delivery.${l}`)}</p>`}
    </li>`});var Or=150;function ca(e,t,n,o){let r=w(null),s=w(null),a=w(!1),l=u=>e.current&&e.current.children[t.findIndex(d=>d.id===u)-n];return Ne(()=>{let u=e.current,d=o.length?o[0].id:null;if(u&&a.current)u.scrollTop=u.scrollHeight,a.current=!1,r.current=null;else if(u&&r.current&&d!==s.current){let m=l(r.current.id);m&&(u.scrollTop=m.offsetTop-r.current.offset),r.current=null}s.current=d}),{keep(u){let d=l(u);d&&(r.current={id:u,offset:d.offsetTop-e.current.scrollTop})},toEnd(){a.current=!0}}}function Mr({messages:e,loaded:t,contactName:n,user:o,hasOlder:r=!1,onLoadOlder:s}){let a=w(null),[l,u]=f(null),d=w(!1),m=hr(e,l),$=e.slice(m,m+300),_=ca(a,e,m,$);function p(){if(!$.length)return;let y=br(e,m);_.keep($[0].id),y!=null?u(y):r&&s&&!d.current&&(d.current=!0,u($[0].id),s().finally(()=>{d.current=!1}))}function b(){if(m+300>=e.length)return;let y=yr(e,m);_.keep(y??e[e.length-300].id),u(y)}function h(){let y=a.current;y&&(y.scrollTop<Or?p():y.scrollHeight-y.scrollTop-y.clientHeight<Or&&b())}let S=e.length?e[e.length-1].id:null;return Ne(()=>{l!=null?(_.toEnd(),u(null)):a.current&&(a.current.scrollTop=a.current.scrollHeight)},[S]),g(h,[e.length,m]),c`
    <ol class="timeline" ref=${a} onScroll=${h} aria-label=${i("timeline.label")} aria-busy=${!t}>
      ${$.map(y=>c`<${Ir} key=${y.id} message=${y} contactName=${n} user=${o}
        language=${document.documentElement.lang} />`)}
    </ol>`}function Ar({conversationId:e,myId:t}){let n=xo(e,t),o=n.filter(r=>r.userId!=null);return c`
    <div class="typing" aria-live="polite">
      ${n.map(r=>c`<p key=${r.key} class="typing-who" dir="auto">${i("typing.who",{name:r.name})}</p>`)}
      ${o.map(r=>c`<p key=${`also-${r.key}`} class="typing-collision" dir="auto">${i("typing.alsoReplying",{name:r.name})}</p>`)}
    </div>`}function Pr({conversationId:e,myId:t}){let n=Eo(e,t);return c`
    <div class="viewers" aria-live="polite">
      ${n.map(o=>c`<p key=${o.key} class="viewing-collision" dir="auto">${i("presence.viewing",{name:o.name})}</p>`)}
    </div>`}function Nr({conversation:e,state:t,user:n,actions:o}){let r=Q(e.contact_id),s=j(r,e.contact_id),a=t.me?.id??n?.id;Io(e.id,a);let l=je().some(u=>u.id===e.inbox_id&&Ke(u));return c`
    <div class="open-conversation">
      <main class="conversation" aria-labelledby="conversation-title">
        <header class="conversation-header">
          <h2 id="conversation-title" dir="auto">${s}</h2>
          ${e.subject&&c`<p class="subject" dir="auto">${e.subject}</p>`}
          <span class=${`status ${e.status}`}>${i(`status.${e.status}`)}</span>
          <${tr} conversation=${e} me=${t.me}
            onUpdate=${o.update} onMarkUnread=${o.markUnread} />
        </header>
        <${Mr} messages=${t.messages} loaded=${t.messagesLoaded} contactName=${s} user=${n}
          hasOlder=${t.olderCursors[e.id]!=null} onLoadOlder=${o.loadOlder} />
        <${Pr} conversationId=${e.id} myId=${a} />
        <${Ar} conversationId=${e.id} myId=${a} />
        <${gr} conversationId=${e.id} onSent=${o.addSent} isEmail=${l} />
      </main>
      <${Go} conversation=${e} onOpen=${o.openElsewhere} onMerged=${o.contactsMerged} />
    </div>`}var ua=["open","pending","snoozed","resolved"],ma=["none","low","medium","high","urgent"];function ve({label:e,value:t,options:n,onChange:o}){return c`
    <label class="filter">
      <span>${e}</span>
      <select value=${t||""} onChange=${r=>o(r.currentTarget.value)}>
        <option value="">${i("filters.any")}</option>
        ${n.map(([r,s])=>c`<option key=${r} value=${r}>${s}</option>`)}
      </select>
    </label>`}var da=e=>{let t=i(`channel.${e}`);return t===`channel.${e}`?e:t};function Dr({filters:e,sort:t,inboxes:n,teams:o,onChange:r}){let s=(l,u)=>{let d={...e,[l]:u.trim()};d[l]||delete d[l],r({filters:d,sort:t})},a=[...new Set(n.map(l=>l.channel_type))].sort();return c`
    <div class="filter-bar" role="group" aria-label=${i("filters.label")}>
      <${ve} label=${i("filters.inbox")} value=${e.inbox_id} onChange=${l=>s("inbox_id",l)}
        options=${n.map(l=>[String(l.id),l.name])} />
      <${ve} label=${i("filters.status")} value=${e.status} onChange=${l=>s("status",l)}
        options=${ua.map(l=>[l,i(`status.${l}`)])} />
      <${ve} label=${i("filters.team")} value=${e.team_id} onChange=${l=>s("team_id",l)}
        options=${o.map(l=>[String(l.id),l.name])} />
      <label class="filter">
        <span>${i("filters.labelName")}</span>
        <input type="search" value=${e.label||""} maxlength="100" dir="auto"
          onChange=${l=>s("label",l.currentTarget.value)} />
      </label>
      <${ve} label=${i("filters.channel")} value=${e.channel_type} onChange=${l=>s("channel_type",l)}
        options=${a.map(l=>[l,da(l)])} />
      <${ve} label=${i("filters.priority")} value=${e.priority} onChange=${l=>s("priority",l)}
        options=${ma.map(l=>[l,i(`filters.priority.${l}`)])} />
      <label class="filter">
        <span>${i("filters.sort")}</span>
        <select value=${t} onChange=${l=>r({filters:e,sort:l.currentTarget.value})}>
          ${Pt.map(l=>c`<option key=${l} value=${l}>${i(`filters.sort.${l}`)}</option>`)}
        </select>
      </label>
      <button type="button" class="secondary clear-filters" disabled=${Object.keys(e).length===0}
        onClick=${()=>r({filters:{},sort:t})}>${i("filters.clear")}</button>
    </div>`}var pa=[["en","English"],["ar","العربية"],["he","עברית"]];function tt(){let[e,t]=f(()=>It()||""),[n,o]=f(!1);g(()=>{x.probeSession().then(s=>{t(s.locale||""),Ot(s.locale)},()=>{})},[]);async function r(s){o(!1);try{let a=await x.updateMe({locale:s||null});t(a.locale||""),await Ot(a.locale)}catch(a){a instanceof k||o(!0)}}return c`
    <span class="language-picker">
      <select aria-label=${i("language.label")} value=${e} onChange=${s=>r(s.currentTarget.value)}>
        ${pa.map(([s,a])=>c`<option key=${s} value=${s} lang=${s}>${a}</option>`)}
        <option value="">${i("language.browser")}</option>
      </select>
      ${n&&c`<span role="alert" class="error">${i("language.failed")}</span>`}
    </span>`}var fa=250;function $a(e){let[t,n]=f([]);return g(()=>{let o=e.trim();if(o.length<2){n([]);return}let r=!0,s=setTimeout(()=>{x.searchContacts(o).then(a=>r&&n(a.items.filter(l=>l.email)),a=>a instanceof k||console.warn("omnihub console: contacts:",a.message))},fa);return()=>{r=!1,clearTimeout(s)}},[e]),t}function Lr({value:e,onChange:t}){let o=$a(e.email).filter(r=>r.email!==e.email);return c`
    <div class="recipient-field">
      <label>
        <span>${i("compose.to")}</span>
        <input type="text" dir="ltr" autocomplete="off" inputmode="email" required value=${e.email}
          placeholder=${i("compose.toHint")} onInput=${r=>t({email:r.currentTarget.value,name:""})} />
      </label>
      ${o.length>0&&c`<ul class="contact-matches" aria-label=${i("compose.matches")}>
        ${o.map(r=>c`<li key=${r.id}>
            <button type="button" class="secondary" onClick=${()=>t({email:r.email,name:r.name||""})}>
              <span dir="auto">${r.name||r.email}</span> <span dir="ltr">${r.name?r.email:""}</span>
            </button>
          </li>`)}
      </ul>`}
    </div>`}function _a(e){let t={inbox_id:Number(e.inboxId),email:e.to.email.trim(),subject:e.subject.trim()||null,content:e.text,cc:et(e.cc)};return e.to.name&&(t.name=e.to.name),t}function ga(e){return e.status===422?i("compose.invalid"):i("compose.failed")}function Rr({inboxes:e,onStarted:t,onClose:n}){let o=w(null),[r,s]=f({inboxId:String(e[0].id),to:{email:"",name:""},cc:"",subject:"",text:""}),[a,l]=f(!1),[u,d]=f("");g(()=>o.current.showModal(),[]);let m=_=>p=>s({...r,[_]:p.currentTarget.value});async function $(_){if(_.preventDefault(),!a){l(!0),d("");try{let p=await x.startConversation(_a(r));t(p.conversation.id)}catch(p){p instanceof k||d(ga(p)),l(!1)}}}return c`
    <dialog class="new-conversation-dialog" ref=${o} aria-labelledby="new-conversation-title" onClose=${n}>
      <form onSubmit=${$}>
        <h2 id="new-conversation-title">${i("compose.new")}</h2>
        <label>
          <span>${i("compose.inbox")}</span>
          <select value=${r.inboxId} onChange=${m("inboxId")}>
            ${e.map(_=>c`<option key=${_.id} value=${String(_.id)}>${_.name}</option>`)}
          </select>
        </label>
        <${Lr} value=${r.to} onChange=${_=>s({...r,to:_})} />
        <${Gt} value=${r.cc} onInput=${_=>s({...r,cc:_})} />
        <label>
          <span>${i("compose.subject")}</span>
          <input type="text" dir="auto" maxlength="998" value=${r.subject} onInput=${m("subject")} />
        </label>
        <label>
          <span>${i("compose.message")}</span>
          <textarea dir="auto" rows="6" required value=${r.text} onInput=${m("text")}></textarea>
        </label>
        ${u&&c`<p role="alert" class="error">${u}</p>`}
        <div class="dialog-actions">
          <button type="button" class="secondary" onClick=${()=>o.current.close()}>${i("compose.cancel")}</button>
          <button type="submit" disabled=${a||!r.text.trim()||!r.to.email.trim()}>${i("reply.send")}</button>
        </div>
      </form>
    </dialog>`}function Fr({onStarted:e}){let t=je().filter(Ke),[n,o]=f(!1);if(!t.length)return null;let r=s=>{o(!1),e(s)};return c`
    <button type="button" class="new-conversation" aria-haspopup="dialog" onClick=${()=>o(!0)}>
      ${i("compose.new")}
    </button>
    ${n&&c`<${Rr} inboxes=${t} onStarted=${r} onClose=${()=>o(!1)} />`}`}function ha(e,t){let n=w(null);return g(()=>{if(!e)return;let o=s=>n.current&&!n.current.contains(s.target)&&t(),r=s=>s.key==="Escape"&&t();return document.addEventListener("pointerdown",o),document.addEventListener("keydown",r),()=>{document.removeEventListener("pointerdown",o),document.removeEventListener("keydown",r)}},[e]),n}function Ur(){let[e,t]=f(!1),[n,o]=f(qt),[r,s]=f(!1),a=ha(e,()=>t(!1)),l=d=>{ho(d),o(m=>({...m,sound:d}))},u=async d=>{let m=await bo(d);s(d&&!m),o($=>({...$,browser:m}))};return c`
    <div class="notification-settings" ref=${a}>
      <button type="button" class="secondary" aria-expanded=${e?"true":"false"} aria-controls="notification-settings"
        onClick=${()=>t(!e)}>${i("presence.notifications")}</button>
      ${e&&c`
        <div id="notification-settings" class="notification-menu" role="group" aria-label=${i("presence.notifications")}>
          <label><input type="checkbox" checked=${n.sound} onChange=${d=>l(d.currentTarget.checked)} />
            <span>${i("presence.sound")}</span></label>
          <label><input type="checkbox" checked=${n.browser} onChange=${d=>u(d.currentTarget.checked)} />
            <span>${i("presence.browserNotifications")}</span></label>
          ${r&&c`<p class="notification-blocked" role="alert">${i("presence.blocked")}</p>`}
        </div>`}
    </div>`}var ba=250,ya=8;async function va(e){let t=Je(e);if(t===null)return[];try{let n=await x.getConversation(t);return[{kind:"conversation",key:`conversation-${t}`,conversation:n}]}catch(n){if(n instanceof B&&(n.status===404||n.status===422))return[];throw n}}async function wa(e){return(await x.searchContacts(e,ya)).items.map(n=>({kind:"contact",key:`contact-${n.id}`,contact:n}))}var xa=[va,wa],qr={query:"",items:[],loading:!1,failed:!1};function Hr(e){let[t,n]=f(qr),o=w(0);return g(()=>{let r=e.trim(),s=++o.current;if(!r){n(qr);return}n(l=>({...l,loading:!0}));let a=setTimeout(async()=>{try{let l=await Promise.all(xa.map(u=>u(r)));s===o.current&&n({query:r,items:l.flat(),loading:!1,failed:!1})}catch(l){if(l instanceof k||s!==o.current)return;console.warn("omnihub console: search:",l.message),n({query:r,items:[],loading:!1,failed:!0})}},ba);return()=>clearTimeout(a)},[e]),t}function nt({text:e,query:t}){return Fo(e,t).map(n=>n.matched?c`<mark>${n.text}</mark>`:n.text)}function Sa({conversation:e,query:t}){let n=Q(e.contact_id);return c`
    <span class="result-title"><${nt} text=${i("search.conversation",{id:e.id})} query=${t} /></span>
    <span class="result-detail">
      <span dir="auto">${j(n,e.contact_id)}</span>
      ${e.subject&&c` · <span dir="auto">${e.subject}</span>`}
      ${` · ${i(`status.${e.status}`)}`}
    </span>`}function ka({contact:e,query:t}){let n=[e.email,e.phone].filter(Boolean);return c`
    <span class="result-title" dir="auto">
      <${nt} text=${e.name||i("contact.unnamed",{id:e.id})} query=${t} />
    </span>
    ${n.map(o=>c`<span class="result-detail" dir="auto" key=${o}><${nt} text=${o} query=${t} /></span>`)}`}function Br({item:e,query:t}){return e.kind==="conversation"?c`<${Sa} conversation=${e.conversation} query=${t} />`:c`<${ka} contact=${e.contact} query=${t} />`}var jr="search-results",Kr=e=>`search-option-${e}`;function Ta({results:e,active:t,onChoose:n,onPoint:o}){return c`
    <ul class="search-results" role="listbox" id=${jr} aria-label=${i("search.results")}>
      ${e.items.map((r,s)=>c`
          <li role="option" key=${r.key} id=${Kr(s)} aria-selected=${s===t?"true":"false"}
            class=${`search-result ${r.kind}`} onMouseDown=${a=>a.preventDefault()}
            onMouseMove=${()=>o(s)} onClick=${()=>n(r)}>
            <${Br} item=${r} query=${e.query} />
          </li>`)}
    </ul>`}function Ca(e,t,n){return n||(!e.trim()||t.loading?"":t.failed?i("search.failed"):t.items.length?"":i("search.none"))}function Wr({onOpenConversation:e,onOpenContact:t}){let[n,o]=f(""),[r,s]=f(!1),[a,l]=f(-1),[u,d]=f(""),m=w(null),$=Hr(n),_=$.items;g(()=>l(_.length?0:-1),[$]),ze("search",()=>m.current.focus());async function p(y){s(!1);try{y.kind==="conversation"?await e(y.conversation.id):await t(y.contact.id),o("")}catch(T){if(T instanceof k)return;d(T instanceof ge?i("search.noConversation"):i("search.gone")),s(!0)}}function b(y){let T={ArrowDown:1,ArrowUp:-1}[y.key];T&&_.length?(y.preventDefault(),s(!0),l(O=>(O+T+_.length)%_.length)):y.key==="Enter"&&r&&!$.loading&&_[a]?(y.preventDefault(),p(_[a])):y.key==="Escape"&&(y.preventDefault(),r?s(!1):o(""))}let h=r&&n.trim()!==""&&_.length>0,S=r?Ca(n,$,u):"";return c`
    <div class="search" role="search" aria-label=${i("search.label")}>
      <input ref=${m} type="text" role="combobox" aria-label=${i("search.label")} dir="auto"
        placeholder=${i("search.placeholder")} autocomplete="off" spellcheck="false"
        aria-autocomplete="list" aria-controls=${h?jr:void 0} aria-expanded=${h?"true":"false"}
        aria-activedescendant=${h&&a>=0?Kr(a):void 0}
        value=${n} onKeyDown=${b} onBlur=${()=>s(!1)} onFocus=${()=>s(!0)}
        onInput=${y=>{o(y.currentTarget.value),d(""),s(!0)}} />
      ${h&&c`<${Ta} results=${$} active=${a} onChoose=${p} onPoint=${l} />`}
      <p class="search-message" aria-live="polite">${S}</p>
    </div>`}function Vr({entries:e,label:t}){return c`
    <dl aria-label=${t}>
      ${e.map(({keys:n,action:o})=>c`
          <div key=${o}>
            <dt>${n.map((r,s)=>c`${s?` ${i("shortcuts.or")} `:""}<kbd>${r}</kbd>`)}</dt>
            <dd>${i(o)}</dd>
          </div>`)}
    </dl>`}function zr({onClose:e}){let t=w(null);return g(()=>{t.current.showModal()},[]),c`
    <dialog class="shortcuts" ref=${t} aria-labelledby="shortcuts-title" onClose=${e}>
      <h2 id="shortcuts-title">${i("shortcuts.title")}</h2>
      <${Vr} entries=${Mo} label=${i("shortcuts.title")} />
      <h3>${i("shortcuts.replyBox")}</h3>
      <${Vr} entries=${Ao} label=${i("shortcuts.replyBox")} />
      <button type="button" onClick=${()=>t.current.close()}>${i("shortcuts.close")}</button>
    </dialog>`}function Jt({user:e,onSignOut:t}){let n=Oo(),{state:o}=n,[r,s]=f(!1);Do(o.conversations);let[a,l]=f(!1),u=ro(n,{onHelp:()=>s(!0),onPalette:()=>l(!0),onSignOut:t});No({conversations:o.conversations,selectedId:o.selectedId,onSelect:n.select,desk:u});let d=u.open;return c`
    <div class="main-screen">
      <header class="top-bar">
        <h1>${i("app.title")}</h1>
        <${Wr} onOpenConversation=${n.select} onOpenContact=${u.openContact} />
        <span class=${`connection ${o.status}`} role="status">${i(`connection.${o.status}`)}</span>
        ${e&&c`<span class="who" dir="auto">${e.name}</span>`}
        <${Fr} onStarted=${n.openElsewhere} />
        <${tt} />
        <${Ur} />
        <button type="button" class="secondary" onClick=${()=>s(!0)}>${i("shortcuts.title")}</button>
        <button type="button" class="sign-out" onClick=${t}>${i("signOut")}</button>
      </header>
      <${Wt}
        conversations=${o.conversations}
        previews=${o.previews}
        selectedId=${o.selectedId}
        firstPageLoaded=${o.nextCursor!==void 0}
        hasMore=${o.nextCursor!==null}
        loading=${o.loadingMore}
        onSelect=${n.select}
        onLoadMore=${n.loadMore}
        view=${o.view}
        counts=${o.counts}
        onChooseView=${n.chooseView}
      >
        <${Dr} filters=${o.filters} sort=${o.sort} inboxes=${o.inboxes} teams=${o.teams}
          onChange=${n.chooseList} />
      </${Wt}>
      ${d?c`<${Nr} key=${d.id} conversation=${d} state=${o} user=${e} actions=${n} />`:c`<main class="placeholder"><p>${i("conversation.none")}</p></main>`}
      ${r&&c`<${zr} onClose=${()=>s(!1)} />`}
      ${a&&c`<${Bo} desk=${u} onClose=${()=>l(!1)} />`}
    </div>`}var Ea="********";function Ia({name:e,callbackUrl:t,secret:n},o){let r={};return t.trim()?r.callback_url=t.trim():o&&(r.callback_url=null),n&&(r.secret=n),{name:e,config:r}}function Xt({inbox:e,onSaved:t}){let n=!!e,[o,r]=f(e?.name??""),[s,a]=f(e?.config?.callback_url??""),[l,u]=f(""),[d,m]=f(!1),{busy:$,error:_,run:p}=R(),b=n?`edit-api-inbox-${e.id}`:"api-inbox-title";async function h(y){y.preventDefault(),m(!1);let T=Ia({name:o,callbackUrl:s,secret:l},n);await p(n?()=>C.updateInbox(e.id,T):()=>C.createInbox(T.name,"api",T.config))&&(u(""),n||(r(""),a("")),m(n),t())}let S=n?i("admin.api.replaceSecret"):i("admin.api.secret");return c`
    <form class="settings-form" onSubmit=${h} aria-labelledby=${b}>
      <h3 id=${b} dir="auto">${n?i("admin.edit.title",{name:e.name}):i("inboxes.newApi")}</h3>
      <label>
        <span>${i("inboxes.name")}</span>
        <input required maxlength="200" dir="auto" value=${o} onInput=${y=>r(y.currentTarget.value)} />
      </label>
      <label>
        <span>${i("inboxes.callbackUrl")}</span>
        <input type="url" dir="ltr" value=${s} onInput=${y=>a(y.currentTarget.value)} />
      </label>
      <label>
        <span>${S}</span>
        <input type="password" dir="ltr" minlength="16" maxlength="256" autocomplete="new-password" value=${l}
          onInput=${y=>u(y.currentTarget.value)} />
      </label>
      ${n&&c`<p class="hint">${e.config?.secret===Ea?i("admin.api.secretStored"):i("admin.api.noSecret")}</p>`}
      ${_&&c`<p role="alert" class="error">${_}</p>`}
      ${d&&c`<p role="status">${i("admin.edit.saved")}</p>`}
      <button type="submit" disabled=${$}>${n?i("admin.edit.save"):i("inboxes.create")}</button>
    </form>`}var we={name:"",from_address:"",from_name:"",imap:{host:"",port:"993",security:"tls",username:"",password:"",folders:"INBOX"},smtp:{host:"",port:"587",security:"starttls",username:"",password:""}};function Gr(e,t){let n={...t,password:""};for(let o of["host","security","username"])e?.[o]!=null&&(n[o]=String(e[o]));return e?.port!=null&&(n.port=String(e.port)),t.folders!==void 0&&Array.isArray(e?.folders)&&(n.folders=e.folders.join(", ")),n}function Yr(e){let t=e.config||{};return{name:e.name,from_address:t.from_address||"",from_name:t.from_name||"",imap:Gr(t.imap,we.imap),smtp:Gr(t.smtp,we.smtp)}}function Qr(e,t){let n={host:e.host.trim(),port:Number(e.port),security:e.security};return e.username.trim()?n.username=e.username.trim():t&&(n.username=null),e.password&&(n.password=e.password),e.folders!==void 0&&(n.folders=e.folders.split(",").map(o=>o.trim()).filter(Boolean)),n}function Jr(e,{editing:t=!1}={}){let n={imap:Qr(e.imap,t),smtp:Qr(e.smtp,t),from_address:e.from_address.trim()};return e.from_name.trim()?n.from_name=e.from_name.trim():t&&(n.from_name=null),n}var Oa=["tls","starttls","none"];function Zt({kind:e,server:t,onChange:n,required:o,editing:r}){let s=(l,u={})=>c`
    <label>
      <span>${u.label||i(`email.${l}`)}</span>
      <input name=${`${e}-${l}`} dir="ltr" value=${t[l]} required=${o.includes(l)}
        onInput=${d=>n({...t,[l]:d.currentTarget.value})} ...${u} />
    </label>`,a=r?{type:"password",autocomplete:"new-password",label:i("admin.edit.replacePassword")}:{type:"password",autocomplete:"new-password"};return c`
    <fieldset>
      <legend>${i(`email.${e}`)}</legend>
      ${s("host")}
      ${s("port",{type:"number",min:"1",max:"65535"})}
      <label>
        <span>${i("email.security")}</span>
        <select name=${`${e}-security`} value=${t.security}
          onChange=${l=>n({...t,security:l.currentTarget.value})}>
          ${Oa.map(l=>c`<option value=${l}>${i(`email.security.${l}`)}</option>`)}
        </select>
      </label>
      ${s("username",{autocomplete:"off"})}
      ${s("password",a)}
      ${r&&c`<p class="hint">${i("admin.edit.keepHint")}</p>`}
      ${t.folders!==void 0&&s("folders")}
    </fieldset>`}var Xr=["host","port","username","folders"];function en({inbox:e,onSaved:t}){let n=!!e,[o,r]=f(()=>n?Yr(e):we),[s,a]=f(!1),{busy:l,error:u,run:d}=R(),m=p=>b=>r({...o,[p]:b}),$=n?`edit-email-inbox-${e.id}`:"email-inbox-title";async function _(p){p.preventDefault(),a(!1);let b=Jr(o,{editing:n});if(!await d(n?()=>C.updateInbox(e.id,{name:o.name,config:b}):()=>C.createInbox(o.name,"email",b)))return;let S={...o,imap:{...o.imap,password:""},smtp:{...o.smtp,password:""}};r(n?S:we),a(n),t()}return c`
    <form class="settings-form" onSubmit=${_} aria-labelledby=${$}>
      <h3 id=${$} dir="auto">${n?i("admin.edit.title",{name:e.name}):i("inboxes.newEmail")}</h3>
      <label>
        <span>${i("inboxes.name")}</span>
        <input required maxlength="200" dir="auto" value=${o.name}
          onInput=${p=>m("name")(p.currentTarget.value)} />
      </label>
      <label>
        <span>${i("email.fromAddress")}</span>
        <input type="email" required dir="ltr" value=${o.from_address}
          onInput=${p=>m("from_address")(p.currentTarget.value)} />
      </label>
      <label>
        <span>${i("email.fromName")}</span>
        <input maxlength="200" dir="auto" value=${o.from_name}
          onInput=${p=>m("from_name")(p.currentTarget.value)} />
      </label>
      <${Zt} kind="imap" server=${o.imap} onChange=${m("imap")} editing=${n}
        required=${n?Xr:[...Xr,"password"]} />
      <${Zt} kind="smtp" server=${o.smtp} onChange=${m("smtp")} editing=${n}
        required=${["host","port"]} />
      ${u&&c`<p role="alert" class="error">${u}</p>`}
      ${s&&c`<p role="status">${i("admin.edit.saved")}</p>`}
      <button type="submit" disabled=${l}>${n?i("admin.edit.save"):i("inboxes.create")}</button>
    </form>`}function ot(e,t,n){let[o,r]=f(null),[s,a]=f(!1),[l,u]=f(0);return g(()=>{let d=!0,m=null,$=async()=>{try{let _=await e();d&&(r(_),a(!1))}catch(_){d&&!(_ instanceof k)&&a(!0)}d&&(m=setTimeout($,t*1e3))};return $(),()=>{d=!1,clearTimeout(m)}},[n,l]),{value:o,failed:s,refresh:()=>u(d=>d+1)}}var Ma=3;function Aa({inbox:e,item:t,busy:n,onRetry:o}){return c`
    <li class="settings-row quarantined">
      <span class="quarantine-reason" dir="auto">${t.reason}</span>
      <span class="muted" dir="ltr">${t.source}</span>
      <span class="muted">${i("admin.quarantine.details",{size:t.size,attempts:t.attempts})}</span>
      <span class="muted">${U(t.created_at)}</span>
      <span class="row-actions">
        <a href=${sn(e.id,t.id)} download=${`quarantined-${t.id}.eml`}
          aria-label=${i("admin.quarantine.downloadNamed",{source:t.source})}>${i("admin.quarantine.download")}</a>
        <button type="button" class="secondary" disabled=${n} onClick=${o}
          aria-label=${i("admin.quarantine.retryNamed",{source:t.source})}>${i("admin.quarantine.retry")}</button>
      </span>
    </li>`}function Pa(e,t){let[n,o]=f({items:[],cursor:void 0}),r=n.cursor===void 0?t?.next_cursor:n.cursor,s=new Set((t?.items||[]).map(u=>u.id)),a=async()=>{let u=await C.listQuarantine(e,r);o(d=>({items:[...d.items,...u.items],cursor:u.next_cursor}))};return{items:n.items.filter(u=>!s.has(u.id)),hasMore:!!r,loadMore:a}}function Zr({inbox:e}){let t=ot(()=>C.listQuarantine(e.id),Ma,e.id),n=Pa(e.id,t.value),{busy:o,error:r,run:s}=R(),[a,l]=f(""),u=t.value&&[...t.value.items,...n.items];async function d(m){let $=null;l(""),await s(async()=>$=await C.retryQuarantined(e.id,m.id))&&(l($.state==="released"?i("admin.quarantine.released"):i("admin.quarantine.stillHeld")),t.refresh())}return c`
    <section aria-labelledby="quarantine-title">
      <h4 id="quarantine-title">${i("admin.quarantine.title")}</h4>
      ${u&&u.length===0&&c`<p>${i("admin.quarantine.none")}</p>`}
      ${u&&c`<ul class="settings-list" aria-label=${i("admin.quarantine.title")}>
        ${u.map(m=>c`<${Aa} key=${m.id} inbox=${e} item=${m} busy=${o}
            onRetry=${()=>d(m)} />`)}
      </ul>`}
      ${n.hasMore&&c`<button type="button" class="secondary" disabled=${o} onClick=${()=>s(n.loadMore)}>
        ${i("admin.quarantine.more")}</button>`}
      ${a&&c`<p role="status">${a}</p>`}
      ${r&&c`<p role="alert" class="error">${r}</p>`}
    </section>`}var Na=3;function Da(e){let t=e?.state,n=t?i(`admin.sync.state.${t}`):i("admin.sync.state.waiting");return e?.total==null?n:`${n} · ${i("admin.sync.count",{done:e.done??0,total:e.total})}`}function La({stream:e}){let{progress:t}=e;return c`
    <li class="settings-row">
      <span dir="auto">${e.stream}</span>
      <span>${Da(t)}</span>
      ${t?.total>0&&c`<progress max=${t.total} value=${t.done??0}
        aria-label=${i("admin.sync.progressOf",{folder:e.stream})}></progress>`}
      ${e.error&&c`<span class="error">${i("admin.sync.error",{reason:e.error})}</span>`}
      <span class="muted">${U(e.updated_at)}</span>
    </li>`}function es({inbox:e}){let t=ot(()=>C.syncStatus(e.id),Na,e.id),n=t.value?.streams;return c`
    <section class="settings-members" aria-labelledby="mail-sync-title">
      <h3 id="mail-sync-title" dir="auto">${i("admin.inbox.syncNamed",{name:e.name})}</h3>
      ${t.failed&&c`<p role="alert" class="error">${i("settings.failed")}</p>`}
      ${n&&n.length===0&&c`<p>${i("admin.sync.none")}</p>`}
      ${n&&c`<ul class="settings-list" aria-label=${i("admin.sync.folders")}>
        ${n.map(o=>c`<${La} key=${o.stream} stream=${o} />`)}
      </ul>`}
      <${Zr} inbox=${e} />
    </section>`}function Ra(e){let[t,n]=f(null),[o,r]=f([]),[s,a]=f(!1),l=()=>Promise.all([C.listUsers(),e.listIds()]).then(([u,d])=>{n(u),r(d.user_ids)},u=>u instanceof k||a(!0));return g(()=>{l()},[e.key]),{users:t,memberIds:o,failed:s,load:l}}function rt({group:e}){let{users:t,memberIds:n,failed:o,load:r}=Ra(e),[s,a]=f(""),{busy:l,error:u,run:d}=R();if(o)return c`<p role="alert" class="error">${i("settings.failed")}</p>`;if(!t)return c`<p aria-busy="true"></p>`;let m=t.filter(h=>n.includes(h.id)),$=t.filter(h=>e.eligible(h)&&h.is_active&&!n.includes(h.id)),_=async h=>await d(h)&&r(),p=h=>{h.preventDefault(),s&&_(()=>e.add(Number(s))).then(()=>a(""))},b=`members-title-${e.key}`;return c`
    <section class="settings-members" aria-labelledby=${b}>
      <h3 id=${b} dir="auto">${e.title}</h3>
      ${m.length===0&&c`<p>${e.none}</p>`}
      <ul class="settings-list" aria-label=${i("members.title")}>
        ${m.map(h=>c`
            <li key=${h.id} class="settings-row">
              <span dir="auto">${h.name}</span>
              <span class="muted" dir="ltr">${h.email}</span>
              <button type="button" class="secondary" disabled=${l}
                aria-label=${i("members.removeNamed",{name:h.name})}
                onClick=${()=>_(()=>e.remove(h.id))}>${i("members.remove")}</button>
            </li>`)}
      </ul>
      <form class="settings-inline" onSubmit=${p}>
        <label>
          <span>${e.chooser}</span>
          <select aria-label=${e.chooser} value=${s} onChange=${h=>a(h.currentTarget.value)}>
            <option value="">${e.choose}</option>
            ${$.map(h=>c`<option value=${String(h.id)}>${h.name} (${h.email})</option>`)}
          </select>
        </label>
        <button type="submit" disabled=${l||!s}>${i("members.add")}</button>
      </form>
      ${u&&c`<p role="alert" class="error">${u}</p>`}
    </section>`}function ts({inbox:e}){let t={key:`inbox-${e.id}`,title:i("members.of",{name:e.name}),none:i("members.none"),chooser:i("members.agent"),choose:i("members.choose"),eligible:n=>n.role==="agent",listIds:()=>C.listMemberIds(e.id),add:n=>C.addMember(e.id,n),remove:n=>C.removeMember(e.id,n)};return c`<${rt} group=${t} />`}var Fa=new Set(["api","email"]);function Ua(e){let t=`channel.${e}`,n=i(t);return n===t?e:n}function qa({inbox:e,panel:t,open:n,onOpen:o,label:r,named:s}){let a=n===t;return c`<button type="button" class="secondary" aria-expanded=${a} onClick=${()=>o(a?null:t)}
    aria-label=${i(s,{name:e.name})}>${i(r)}</button>`}function Ha({inbox:e,open:t,onOpen:n}){let o=(r,s,a)=>c`<${qa} inbox=${e} panel=${r} open=${t} onOpen=${n} label=${s} named=${a} />`;return c`
    <li class="settings-row">
      <span dir="auto">${e.name}</span>
      <span class="muted">${Ua(e.channel_type)}</span>
      <span class="row-actions">
        ${o("members","members.title","members.of")}
        ${Fa.has(e.channel_type)&&o("edit","admin.inbox.edit","admin.inbox.editNamed")}
        ${e.channel_type==="email"&&o("sync","admin.inbox.sync","admin.inbox.syncNamed")}
      </span>
    </li>`}function Ba({inbox:e,panel:t,onSaved:n}){if(t==="members")return c`<${ts} inbox=${e} />`;if(t==="sync")return c`<${es} inbox=${e} />`;let o=e.channel_type==="email"?en:Xt;return c`<${o} inbox=${e} onSaved=${n} />`}function ns(){let[e,t]=f(null),[n,o]=f(!1),[r,s]=f({id:null,panel:null}),a=()=>C.listInboxes().then(t,u=>u instanceof k||o(!0));g(()=>{a()},[]);let l=e?.find(u=>u.id===r.id);return c`
    <section aria-labelledby="inboxes-title">
      <h2 id="inboxes-title">${i("settings.inboxes")}</h2>
      ${n&&c`<p role="alert" class="error">${i("settings.failed")}</p>`}
      ${e&&e.length===0&&c`<p>${i("inboxes.none")}</p>`}
      ${e&&c`<ul class="settings-list" aria-label=${i("settings.inboxes")}>
        ${e.map(u=>c`<${Ha} key=${u.id} inbox=${u} open=${u.id===r.id?r.panel:null}
            onOpen=${d=>s({id:d?u.id:null,panel:d})} />`)}
      </ul>`}
      ${l&&r.panel&&c`<${Ba} key=${`${l.id}-${r.panel}`} inbox=${l} panel=${r.panel} onSaved=${a} />`}
      <${Xt} onSaved=${a} />
      <${en} onSaved=${a} />
    </section>`}function os({team:e}){let t={key:`team-${e.id}`,title:i("members.of",{name:e.name}),none:i("admin.teams.noMembers"),chooser:i("admin.teams.user"),choose:i("admin.teams.chooseUser"),eligible:()=>!0,listIds:()=>C.listTeamMemberIds(e.id),add:n=>C.addTeamMember(e.id,n),remove:n=>C.removeTeamMember(e.id,n)};return c`<${rt} group=${t} />`}function ja({onCreated:e}){let[t,n]=f(""),{busy:o,error:r,run:s}=R();async function a(l){l.preventDefault(),await s(()=>C.createTeam(t),{409:i("admin.teams.exists")})&&(n(""),e())}return c`
    <form class="settings-form" onSubmit=${a} aria-labelledby="new-team-title">
      <h3 id="new-team-title">${i("admin.teams.new")}</h3>
      <label><span>${i("admin.teams.name")}</span>
        <input required maxlength="200" dir="auto" value=${t} onInput=${l=>n(l.currentTarget.value)} /></label>
      ${r&&c`<p role="alert" class="error">${r}</p>`}
      <button type="submit" disabled=${o}>${i("admin.teams.create")}</button>
    </form>`}function rs(){let[e,t]=f(null),[n,o]=f(!1),[r,s]=f(null),a=()=>C.listTeams().then(t,u=>u instanceof k||o(!0));g(()=>{a()},[]);let l=e?.find(u=>u.id===r);return c`
    <section aria-labelledby="teams-title">
      <h2 id="teams-title">${i("admin.page.teams")}</h2>
      ${n&&c`<p role="alert" class="error">${i("settings.failed")}</p>`}
      ${e&&e.length===0&&c`<p>${i("admin.teams.none")}</p>`}
      ${e&&c`<ul class="settings-list" aria-label=${i("admin.page.teams")}>
        ${e.map(u=>c`
            <li key=${u.id} class="settings-row">
              <span dir="auto">${u.name}</span>
              <button type="button" class="secondary" aria-expanded=${u.id===r}
                aria-label=${i("members.of",{name:u.name})}
                onClick=${()=>s(u.id===r?null:u.id)}>${i("members.title")}</button>
            </li>`)}
      </ul>`}
      ${l&&c`<${os} key=${l.id} team=${l} />`}
      <${ja} onCreated=${a} />
    </section>`}function Ka(e){return e?new Date(`${e}T23:59:59`).toISOString():null}function Wa({issued:e,onDone:t}){let[n,o]=f(""),r=()=>navigator.clipboard.writeText(e.token).then(()=>o(i("admin.tokens.copied")),()=>o(i("admin.tokens.copyFailed")));return c`
    <div class="issued-token" role="group" aria-labelledby="issued-token-title">
      <p id="issued-token-title">${i("admin.tokens.showOnce",{name:e.name})}</p>
      <input readonly dir="ltr" aria-label=${i("admin.tokens.newToken")} value=${e.token}
        onFocus=${s=>s.currentTarget.select()} />
      <span class="row-actions">
        <button type="button" onClick=${r}>${i("admin.tokens.copy")}</button>
        <button type="button" class="secondary" onClick=${t}>${i("admin.tokens.done")}</button>
      </span>
      ${n&&c`<p role="status">${n}</p>`}
    </div>`}function ss({me:e,onCreated:t}){let[n,o]=f([]),[r,s]=f({name:"",userId:"",day:""}),[a,l]=f(null),{busy:u,error:d,run:m}=R();g(()=>{C.listUsers().then(o,p=>p instanceof k||o([]))},[]);let $=p=>b=>s({...r,[p]:b.currentTarget.value});async function _(p){p.preventDefault();let b={name:r.name,expires_at:Ka(r.day)};r.userId&&(b.user_id=Number(r.userId)),await m(async()=>l(await C.createToken(b)))&&(s({name:"",userId:"",day:""}),t())}return c`
    <form class="settings-form" onSubmit=${_} aria-labelledby="new-token-title">
      <h3 id="new-token-title">${i("admin.tokens.new")}</h3>
      <label><span>${i("admin.tokens.name")}</span>
        <input required maxlength="200" dir="auto" value=${r.name} onInput=${$("name")} /></label>
      <label><span>${i("admin.tokens.user")}</span>
        <select value=${r.userId} onChange=${$("userId")}>
          <option value="">${i("admin.tokens.forMe",{name:e?.name??""})}</option>
          ${n.filter(p=>p.is_active&&p.id!==e?.user_id).map(p=>c`<option value=${String(p.id)}>${p.name} (${p.email})</option>`)}
        </select></label>
      <label><span>${i("admin.tokens.expiresOn")}</span>
        <input type="date" value=${r.day} onInput=${$("day")} /></label>
      ${d&&c`<p role="alert" class="error">${d}</p>`}
      <button type="submit" disabled=${u}>${i("admin.tokens.create")}</button>
      ${a&&c`<${Wa} issued=${a} onDone=${()=>l(null)} />`}
    </form>`}var Va="console session";function za({token:e,busy:t,onRevoke:n}){return c`
    <li class="settings-row">
      <span dir="auto">${e.name}</span>
      <span class="muted" dir="ltr">${e.user_email}</span>
      <span class="muted">${e.expires_at?i("admin.tokens.expires",{when:U(e.expires_at)}):i("admin.tokens.noExpiry")}</span>
      <span class="muted">${e.last_used_at?i("admin.tokens.lastUsed",{when:U(e.last_used_at)}):i("admin.tokens.neverUsed")}</span>
      <button type="button" class="secondary" disabled=${t} onClick=${n}
        aria-label=${i("admin.tokens.revokeNamed",{name:e.name})}>${i("admin.tokens.revoke")}</button>
    </li>`}function is({me:e}){let[t,n]=f(null),[o,r]=f(!1),{busy:s,error:a,run:l}=R(),u=()=>C.listTokens().then(m=>n(m.filter($=>$.name!==Va)),m=>m instanceof k||r(!0));g(()=>{u()},[]);let d=async m=>await l(()=>C.revokeToken(m.id))&&u();return c`
    <section aria-labelledby="tokens-title">
      <h2 id="tokens-title">${i("admin.page.tokens")}</h2>
      ${o&&c`<p role="alert" class="error">${i("settings.failed")}</p>`}
      ${t&&t.length===0&&c`<p>${i("admin.tokens.none")}</p>`}
      ${t&&c`<ul class="settings-list" aria-label=${i("admin.page.tokens")}>
        ${t.map(m=>c`<${za} key=${m.id} token=${m} busy=${s} onRevoke=${()=>d(m)} />`)}
      </ul>`}
      ${a&&c`<p role="alert" class="error">${a}</p>`}
      <${ss} me=${e} onCreated=${u} />
    </section>`}var as={email:"",name:"",role:"agent",password:""};function ls({onCreated:e}){let[t,n]=f(as),{busy:o,error:r,run:s}=R(),a=u=>d=>n({...t,[u]:d.currentTarget.value});async function l(u){u.preventDefault(),await s(()=>C.createUser(t))&&(n(as),e())}return c`
    <form class="settings-form" onSubmit=${l} aria-labelledby="new-user-title">
      <h3 id="new-user-title">${i("users.new")}</h3>
      <label><span>${i("users.name")}</span>
        <input required maxlength="200" dir="auto" value=${t.name} onInput=${a("name")} /></label>
      <label><span>${i("users.email")}</span>
        <input type="email" required dir="ltr" autocomplete="off" value=${t.email} onInput=${a("email")} /></label>
      <label><span>${i("users.role")}</span>
        <select value=${t.role} onChange=${a("role")}>
          <option value="agent">${i("role.agent")}</option>
          <option value="admin">${i("role.admin")}</option>
        </select></label>
      <label><span>${i("users.password")}</span>
        <input type="password" required minlength="8" autocomplete="new-password"
          value=${t.password} onInput=${a("password")} /></label>
      ${r&&c`<p role="alert" class="error">${r}</p>`}
      <button type="submit" disabled=${o}>${i("users.create")}</button>
    </form>`}function Ga({user:e,busy:t,onRole:n}){let o=e.role==="admin"?"agent":"admin";return c`<button type="button" class="secondary" disabled=${t} onClick=${()=>n(o)}
    aria-label=${i(`admin.users.make.${o}Named`,{name:e.name})}>${i(`admin.users.make.${o}`)}</button>`}function Qa({user:e,me:t,busy:n,onDeactivate:o,onRole:r}){let s=e.is_active&&e.id!==t?.user_id;return c`
    <li class="settings-row">
      <span dir="auto">${e.name}</span>
      <span class="muted" dir="ltr">${e.email}</span>
      <span>${i(`role.${e.role}`)}</span>
      ${e.is_active?"":c`<span class="muted">${i("users.deactivated")}</span>`}
      <span class="row-actions">
      ${e.is_active&&c`<${Ga} user=${e} busy=${n} onRole=${r} />`}
      ${s&&c`<button type="button" class="secondary" disabled=${n} onClick=${o}
        aria-label=${i("users.deactivateNamed",{name:e.name})}>${i("users.deactivate")}</button>`}
      </span>
    </li>`}function cs({me:e}){let[t,n]=f(null),[o,r]=f(!1),{busy:s,error:a,run:l}=R(),u=()=>C.listUsers().then(n,$=>$ instanceof k||r(!0));g(()=>{u()},[]);let d=async $=>await l(()=>C.deactivateUser($.id))&&u(),m=async($,_)=>await l(()=>C.setRole($.id,_),{409:i("admin.users.lastAdmin")})&&u();return c`
    <section aria-labelledby="users-title">
      <h2 id="users-title">${i("settings.users")}</h2>
      ${o&&c`<p role="alert" class="error">${i("settings.failed")}</p>`}
      ${t&&c`<ul class="settings-list" aria-label=${i("settings.users")}>
        ${t.map($=>c`<${Qa} key=${$.id} user=${$} me=${e} busy=${s}
            onDeactivate=${()=>d($)} onRole=${_=>m($,_)} />`)}
      </ul>`}
      ${a&&c`<p role="alert" class="error">${a}</p>`}
      <${ls} onCreated=${u} />
    </section>`}var us={inboxes:{label:"settings.inboxes",Page:ns},users:{label:"settings.users",Page:cs},teams:{label:"admin.page.teams",Page:rs},tokens:{label:"admin.page.tokens",Page:is}};function ms({user:e,onSignOut:t}){let[n,o]=f("inboxes"),{Page:r}=us[n];return c`
    <div class="settings">
      <header class="top-bar">
        <h1>${i("settings.title")}</h1>
        ${e&&c`<span class="who" dir="auto">${e.name}</span>`}
        <${tt} />
        <button type="button" class="sign-out" onClick=${t}>${i("signOut")}</button>
      </header>
      <div class="settings-pages" role="group" aria-label=${i("settings.title")}>
        ${Object.entries(us).map(([s,{label:a}])=>c`
            <button type="button" class="secondary" aria-pressed=${n===s} onClick=${()=>o(s)}>
              ${i(a)}
            </button>`)}
      </div>
      <main class="settings-body">
        <${r} key=${n} me=${e} />
      </main>
    </div>`}function Ya({section:e}){let t=n=>c`
    <a href=${to[n]} aria-current=${e===n?"page":void 0}>${i(`nav.${n}`)}</a>`;return c`<nav class="admin-nav" aria-label=${i("nav.label")}>${t("conversations")}${t("settings")}</nav>`}function ds({user:e,onSignOut:t}){let n=no();return e?.role!=="admin"?c`<${Jt} user=${e} onSignOut=${t} />`:c`
    <div class="workspace">
      <${Ya} section=${n} />
      ${n==="settings"?c`<${ms} user=${e} onSignOut=${t} />`:c`<${Jt} user=${e} onSignOut=${t} />`}
    </div>`}function ps(){let[e,t]=f("checking"),[n,o]=f(Qn),[,r]=f(document.documentElement.lang);g(()=>Fn(r),[]),g(()=>{let l=rn(()=>{Ft(),kt(),Dt(),t("signed-out")});return x.probeSession().then(u=>{o(d=>({user_id:u.id,name:u.name,email:u.email,...d,role:u.role})),t("signed-in")},u=>u instanceof k||t("signed-out")),l},[]);let s=l=>{Gn(l),o(l),t("signed-in")},a=async()=>{t("signed-out"),Ft(),kt(),Vn(),Dt(),await x.signOut().catch(()=>{})};return e==="checking"?c`<p class="checking" aria-busy="true"></p>`:e==="signed-out"?c`<${Xn} onSignedIn=${s} />`:c`<${ds} user=${n} onSignOut=${a} />`}await Rn();_t(c`<${ps} />`,document.getElementById("app"));
