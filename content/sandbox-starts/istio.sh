# Istio installed with the demo profile: istiod and the ingress and egress gateways.
istioctl install --set profile=demo -y
