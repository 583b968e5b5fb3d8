/** A namespace (and a container) name is a DNS label (RFC 1123). */
export const DNS_LABEL_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** Pod and workload names are DNS subdomains (RFC 1123): at most 253 characters. */
export const DNS_SUBDOMAIN_NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
