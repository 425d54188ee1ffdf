x = /\p{Greek}+/
