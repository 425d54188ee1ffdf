x = {if: 1}
